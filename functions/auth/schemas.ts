import * as z from 'zod';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS } from '../../shared/auth/passwords.ts';
import { userText } from '../../shared/http/text.ts';
import { Me } from '../../shared/users/view.ts';

const Email = userText({ label: 'Email', max: 254, singleLine: true })
  .pipe(z.email({ message: 'Must be a valid email address' }))
  .transform((e) => e.toLowerCase());

export const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.]{3,30}$/, 'Username must be 3-30 letters, digits, "_" or "."');

const Password = userText({
  label: 'Password',
  min: PASSWORD_MIN_CHARS,
  max: PASSWORD_MAX_BYTES,
  singleLine: true,
  trim: false,
}).refine((p) => Buffer.byteLength(p, 'utf8') <= PASSWORD_MAX_BYTES, {
  message: `Password must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)`,
});

export const RegisterBody = z.strictObject({
  email: Email,
  username: Username,
  password: Password,
  display_name: userText({ label: 'Display name', min: 1, max: 50, name: true }).optional(),
});

export const LoginBody = z.strictObject({
  email: Email,
  // Length-checked so an oversize password fails fast instead of burning bcrypt time.
  password: userText({ label: 'Password', min: 1, max: 1024, singleLine: true, trim: false }),
});

export const RefreshBody = z.strictObject({ refresh_token: z.string().min(16).max(256) });

export const AuthTokens = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string(),
    refresh_expires_at: z.string(),
  })
  .meta({ id: 'AuthTokens' });

export const AuthResponse = z.object({ user: Me, tokens: AuthTokens }).meta({ id: 'AuthResponse' });
