import * as z from 'zod';
import { defineEnv } from '../config/env.ts';

export const authEnv = defineEnv(
  'auth',
  z
    .object({
      /** HMAC key for access tokens: env locally, Secrets Manager (JWT_SECRET_ARN) in AWS. */
      JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
      JWT_SECRET_ARN: z.string().min(1).optional(),
      JWT_ISSUER: z.string().min(1).default('lokiz'),
      JWT_AUDIENCE: z.string().min(1).default('lokiz-app'),
      ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
      REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
      BCRYPT_COST: z.coerce.number().int().min(10).max(15).default(12),
    })
    .refine((e) => e.JWT_SECRET || e.JWT_SECRET_ARN, {
      message: 'Set JWT_SECRET (local) or JWT_SECRET_ARN (AWS)',
      path: ['JWT_SECRET'],
    }),
);
