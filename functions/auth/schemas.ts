import * as z from 'zod/mini';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS } from '../../shared/auth/passwords.ts';
import { userText } from '../../shared/http/text.ts';
import { ME_EXAMPLE, Me } from '../../shared/users/view.ts';

export const Email = z.pipe(
  z.pipe(
    userText({ label: 'Email', max: 254, singleLine: true }),
    z.email({ message: 'Must be a valid email address' }),
  ),
  z.transform((e) => e.toLowerCase()),
);

export const Username = z
  .string()
  .check(z.trim(), z.regex(/^[A-Za-z0-9_.]{3,30}$/, 'Username must be 3-30 letters, digits, "_" or "."'));

export const Password = userText({
  label: 'Password',
  min: PASSWORD_MIN_CHARS,
  max: PASSWORD_MAX_BYTES,
  singleLine: true,
  trim: false,
}).check(
  z.refine((p) => Buffer.byteLength(p, 'utf8') <= PASSWORD_MAX_BYTES, {
    message: `Password must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)`,
  }),
);

export const RegisterBody = z
  .strictObject({
    email: Email,
    username: Username,
    password: Password,
    display_name: z.optional(userText({ label: 'Display name', min: 1, max: 50, name: true })),
  })
  .register(z.globalRegistry, {
    examples: [
      {
        email: 'trickster@example.com',
        username: 'trickster',
        password: 'glitch-all-the-things',
        display_name: 'Trickster',
      },
    ],
  });

export const LoginBody = z
  .strictObject({
    email: Email,
    // Length-checked so an oversize password fails fast instead of burning bcrypt time.
    password: userText({ label: 'Password', min: 1, max: 1024, singleLine: true, trim: false }),
  })
  .register(z.globalRegistry, {
    examples: [{ email: 'trickster@example.com', password: 'glitch-all-the-things' }],
  });

// 32 random bytes, base64url (shared/auth/tokens.ts).
const REFRESH_TOKEN_EXAMPLE = 'Jx3q9VbN2mK8sT4wL6yP1cR7dF5hG0aZkQ2nW8eY4uT';

export const RefreshBody = z
  .strictObject({ refresh_token: z.string().check(z.minLength(16), z.maxLength(256)) })
  .register(z.globalRegistry, { examples: [{ refresh_token: REFRESH_TOKEN_EXAMPLE }] });

/**
 * Register, login, refresh and verify-email: the OAuth 2.0 token response (RFC 6749 §5.1) with
 * the account beside it, all at the top level as the seed documents it.
 */
export const AuthResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().check(z.int()),
    refresh_token: z.string(),
    user: Me,
  })
  .register(z.globalRegistry, {
    id: 'AuthResponse',
    examples: [
      {
        access_token:
          'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3ZDRlMGI2YSIsImlzcyI6Imxva2l6IiwiYXVkIjoibG9raXotYXBwIn0.kH2v…',
        token_type: 'bearer',
        expires_in: 900,
        refresh_token: REFRESH_TOKEN_EXAMPLE,
        user: ME_EXAMPLE,
      },
    ],
  });

const MailedToken = z
  .string()
  .check(z.minLength(20), z.maxLength(100), z.regex(/^[A-Za-z0-9_-]+$/, 'Not a valid link token'));

// 32 random bytes, base64url, from the link in the mail (shared/accounts/email-tokens.ts).
const MAILED_TOKEN_EXAMPLE = 'q8Xv2LmN4pR7tY1wZ3bC5dF6gH9jK0sA2eU4iO6yT8r';

export const VerifyEmailBody = z
  .strictObject({ token: MailedToken })
  .register(z.globalRegistry, { examples: [{ token: MAILED_TOKEN_EXAMPLE }] });
export const ForgotPasswordBody = z
  .strictObject({ email: Email })
  .register(z.globalRegistry, { examples: [{ email: 'trickster@example.com' }] });
export const ResetPasswordBody = z
  .strictObject({ token: MailedToken, password: Password })
  .register(z.globalRegistry, {
    examples: [{ token: MAILED_TOKEN_EXAMPLE, password: 'a-new-glitchy-passphrase' }],
  });

/** The same answers whatever happened behind them (which accounts exist stays private). */
export const VerificationSent = z
  .object({ status: z.literal('verification_sent') })
  .register(z.globalRegistry, { id: 'VerificationSent', examples: [{ status: 'verification_sent' }] });
export const ResetSent = z
  .object({ status: z.literal('reset_sent') })
  .register(z.globalRegistry, { id: 'ResetSent', examples: [{ status: 'reset_sent' }] });
