import * as z from 'zod';
import { IMAGE_TYPES, MAX_IMAGE_BYTES } from '../../shared/assets/repository.ts';
import { PASSWORD_MAX_BYTES } from '../../shared/auth/passwords.ts';
import { multiLineText, singleLineText } from '../../shared/http/text-hygiene.ts';
import { Password, Username } from '../auth/schemas.ts';

export const BIO_MAX_CHARS = 160;
export const DISPLAY_NAME_MAX_CHARS = 50;

/** Only what a person may change; anything else is a 400. */
export const UpdateProfileBody = z
  .strictObject({
    display_name: singleLineText(DISPLAY_NAME_MAX_CHARS, 'Display name').optional(),
    bio: multiLineText(BIO_MAX_CHARS, 'Bio').optional(),
    username: Username.optional(),
    locale: z.enum(['en', 'ko']).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Provide at least one field' });

const CurrentPassword = z
  .string()
  .min(1)
  .refine((p) => Buffer.byteLength(p, 'utf8') <= PASSWORD_MAX_BYTES * 4, { message: 'Password is too long' });

export const ChangePasswordBody = z.strictObject({
  current_password: CurrentPassword,
  new_password: Password,
});
export const DeleteAccountBody = z.strictObject({ password: CurrentPassword });

export const AvatarUploadBody = z.strictObject({
  content_type: z.enum(
    Object.keys(IMAGE_TYPES) as [keyof typeof IMAGE_TYPES, ...(keyof typeof IMAGE_TYPES)[]],
    {
      message: `content_type must be one of ${Object.keys(IMAGE_TYPES).join(', ')}`,
    },
  ),
  size_bytes: z
    .number()
    .int()
    .positive()
    .max(MAX_IMAGE_BYTES, `Images can be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`),
});

export const AvatarUploadResponse = z
  .object({
    avatar_id: z.string(),
    upload_url: z.string(),
    expires_at: z.string(),
    method: z.literal('PUT'),
    headers: z.object({ 'content-type': z.string() }),
  })
  .meta({ id: 'AvatarUpload' });

export const DeletionScheduled = z
  .object({ status: z.literal('deletion_scheduled') })
  .meta({ id: 'DeletionScheduled' });

export const DownloadQuery = z.object({
  token: z
    .string()
    .min(20)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/),
});
