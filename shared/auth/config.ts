import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';

export const authEnv = defineEnv(
  'auth',
  z
    .object({
      /** HMAC key for access tokens: env locally, Secrets Manager (JWT_SECRET_ARN) in AWS. */
      JWT_SECRET: z.optional(z.string().check(z.minLength(32, 'JWT_SECRET must be at least 32 characters'))),
      JWT_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
      JWT_ISSUER: z._default(z.string().check(z.minLength(1)), 'lokiz'),
      JWT_AUDIENCE: z._default(z.string().check(z.minLength(1)), 'lokiz-app'),
      ACCESS_TOKEN_TTL_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(60), z.lte(3600)), 900),
      REFRESH_TOKEN_TTL_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(90)), 30),
      BCRYPT_COST: z._default(z.coerce.number().check(z.int(), z.gte(10), z.lte(15)), 12),
    })
    .check(
      z.refine((e) => e.JWT_SECRET || e.JWT_SECRET_ARN, {
        message: 'Set JWT_SECRET (local) or JWT_SECRET_ARN (AWS)',
        path: ['JWT_SECRET'],
      }),
    ),
);
