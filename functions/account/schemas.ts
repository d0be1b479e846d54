import * as z from 'zod/mini';
import { PASSWORD_MAX_BYTES } from '../../shared/auth/passwords.ts';
import { EX } from '../../shared/http/examples.ts';
import { userText } from '../../shared/http/text.ts';
import { CharacterUploadBody } from '../ai/schemas.ts';
import { Password, Username } from '../auth/schemas.ts';

export const BIO_MAX_CHARS = 160;
export const DISPLAY_NAME_MAX_CHARS = 50;

/** Only what a person may change; anything else is a 400. */
export const UpdateProfileBody = z
  .strictObject({
    display_name: z.optional(
      userText({
        label: 'Display name',
        min: 1,
        max: DISPLAY_NAME_MAX_CHARS,
        name: true,
        nfc: true,
      }),
    ),
    bio: z.optional(userText({ label: 'Bio', max: BIO_MAX_CHARS, nfc: true })),
    username: z.optional(Username),
    locale: z.optional(z.enum(['en', 'ko'])),
  })
  .check(
    z.refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Provide at least one field' }),
  )
  .register(z.globalRegistry, {
    examples: [{ display_name: 'Trickster', bio: 'Glitching my cat since 2026 #lokiz' }],
  });

const CurrentPassword = z.string().check(
  z.minLength(1),
  z.refine((p) => Buffer.byteLength(p, 'utf8') <= PASSWORD_MAX_BYTES * 4, {
    message: 'Password is too long',
  }),
);

export const ChangePasswordBody = z
  .strictObject({ current_password: CurrentPassword, new_password: Password })
  .register(z.globalRegistry, {
    examples: [{ current_password: 'glitch-all-the-things', new_password: 'a-new-glitchy-passphrase' }],
  });
export const DeleteAccountBody = z
  .strictObject({ password: CurrentPassword })
  .register(z.globalRegistry, { examples: [{ password: 'glitch-all-the-things' }] });

/** The same rules as every other image (JPEG, PNG or WebP, ≤ 10 MB). */
export const AvatarUploadBody = CharacterUploadBody;

export const AvatarUploadResponse = z
  .object({
    avatar_id: z.string(),
    upload_url: z.string(),
    expires_at: z.string(),
    method: z.literal('PUT'),
    headers: z.object({ 'content-type': z.string() }),
  })
  .register(z.globalRegistry, {
    id: 'AvatarUpload',
    examples: [
      {
        avatar_id: EX.avatarId,
        upload_url: EX.uploadUrl(`avatars/inbox/${EX.userId}/${EX.avatarId}.jpg`),
        expires_at: '2026-11-30T09:30:00.000Z',
        method: 'PUT',
        headers: { 'content-type': 'image/jpeg' },
      },
    ],
  });

export const DeletionScheduled = z
  .object({ status: z.literal('deletion_scheduled') })
  .register(z.globalRegistry, { id: 'DeletionScheduled', examples: [{ status: 'deletion_scheduled' }] });

export const DownloadQuery = z.object({
  token: z.string().check(z.minLength(20), z.maxLength(100), z.regex(/^[A-Za-z0-9_-]+$/)),
});
