import * as z from 'zod/mini';

export const UnreadCount = z
  .object({ unread_count: z.number().check(z.int()) })
  .register(z.globalRegistry, { id: 'UnreadCount', examples: [{ unread_count: 3 }] });

/** APNs device tokens are hex, FCM registration tokens base64url-ish with `:`; both far below 1 KiB. */
export const MAX_DEVICE_TOKEN_CHARS = 1024;

export const RegisterDeviceBody = z
  .object({
    platform: z.enum(['ios', 'android']),
    token: z
      .string()
      .check(
        z.minLength(8),
        z.maxLength(MAX_DEVICE_TOKEN_CHARS),
        z.regex(/^[A-Za-z0-9:_.-]+$/, 'A device token has letters, digits and : _ . - only'),
      ),
  })
  .register(z.globalRegistry, {
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
    likes: z.optional(z.boolean()),
    comments: z.optional(z.boolean()),
    follows: z.optional(z.boolean()),
    glitches: z.optional(z.boolean()),
    ai_jobs: z.optional(z.boolean()),
  })
  .check(z.refine((b) => Object.keys(b).length > 0, { message: 'Name at least one preference' }))
  .register(z.globalRegistry, { examples: [{ likes: false }] });
