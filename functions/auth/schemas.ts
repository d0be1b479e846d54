import * as z from 'zod';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS } from '../../shared/auth/passwords.ts';
import { Me } from '../../shared/users/view.ts';

const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Must be a valid email address' }))
  .transform((e) => e.toLowerCase());

export const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.]{3,30}$/, 'Username must be 3-30 letters, digits, "_" or "."');

const Password = z
  .string()
  .min(PASSWORD_MIN_CHARS, `Password must be at least ${PASSWORD_MIN_CHARS} characters`)
  .refine((p) => Buffer.byteLength(p, 'utf8') <= PASSWORD_MAX_BYTES, {
    message: `Password must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)`,
  });

export const RegisterBody = z
  .strictObject({
    email: Email,
    username: Username,
    password: Password,
    display_name: z.string().trim().min(1).max(50).optional(),
  })
  .meta({
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
    password: z.string().min(1).max(1024),
  })
  .meta({ examples: [{ email: 'trickster@example.com', password: 'glitch-all-the-things' }] });

const REFRESH_TOKEN_EXAMPLE = 'rt_Jx3q9VbN2mK8sT4wL6yP1cR7dF5hG0aZ';

export const RefreshBody = z
  .strictObject({ refresh_token: z.string().min(16).max(256) })
  .meta({ examples: [{ refresh_token: REFRESH_TOKEN_EXAMPLE }] });

export const AuthTokens = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string(),
    refresh_expires_at: z.string(),
  })
  .meta({
    id: 'AuthTokens',
    examples: [
      {
        access_token:
          'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3ZDRlMGI2YSIsImlzcyI6Imxva2l6IiwiYXVkIjoibG9raXotYXBwIn0.kH2v…',
        token_type: 'Bearer',
        expires_in: 900,
        refresh_token: REFRESH_TOKEN_EXAMPLE,
        refresh_expires_at: '2026-12-30T09:15:00.000Z',
      },
    ],
  });

export const AuthResponse = z.object({ user: Me, tokens: AuthTokens }).meta({ id: 'AuthResponse' });
