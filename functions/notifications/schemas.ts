import * as z from 'zod';

export const UnreadCount = z
  .object({ unread_count: z.number().int() })
  .meta({ id: 'UnreadCount', examples: [{ unread_count: 3 }] });

/** APNs device tokens are hex, FCM registration tokens base64url-ish with `:`; both far below 1 KiB. */
export const MAX_DEVICE_TOKEN_CHARS = 1024;

export const RegisterDeviceBody = z
  .object({
    platform: z.enum(['ios', 'android']),
    token: z
      .string()
      .min(8)
      .max(MAX_DEVICE_TOKEN_CHARS)
      .regex(/^[A-Za-z0-9:_.-]+$/, 'A device token has letters, digits and : _ . - only'),
  })
  .meta({
    examples: [
      {
        platform: 'ios',
        // APNs device tokens are 64 hex characters.
        token: '740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad',
      },
    ],
  });

export const UpdatePushPreferencesBody = z
  .strictObject({
    likes: z.boolean().optional(),
    comments: z.boolean().optional(),
    follows: z.boolean().optional(),
    glitches: z.boolean().optional(),
    ai_jobs: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Name at least one preference' })
  .meta({ examples: [{ likes: false }] });
