import * as z from 'zod';
import { defineEnv } from '../config/env.ts';

export const dbEnv = defineEnv(
  'database',
  z
    .object({
      /** Local and CI: a full URL. In AWS: unset; DATABASE_SECRET_ARN + DATABASE_HOST (the RDS Proxy) instead. */
      DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
      DATABASE_SECRET_ARN: z.string().min(1).optional(),
      DATABASE_HOST: z.string().min(1).optional(),
      DATABASE_NAME: z.string().min(1).default('lokiz'),
      DATABASE_SSL: z.enum(['true', 'false']).default('false'),
      DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(2),
      DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
      /** How long a request may wait for a pooled connection while all are busy (client.ts). */
      DB_POOL_WAIT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
      DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
    })
    .refine((e) => e.DATABASE_URL || (e.DATABASE_SECRET_ARN && e.DATABASE_HOST), {
      message: 'Set DATABASE_URL, or DATABASE_SECRET_ARN and DATABASE_HOST',
      path: ['DATABASE_URL'],
    }),
);
