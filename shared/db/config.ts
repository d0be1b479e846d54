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
      DATABASE_PORT: z.coerce.number().int().min(1).max(65_535).default(5432),
      DATABASE_NAME: z.string().min(1).default('lokiz'),
      DATABASE_SSL: z.enum(['true', 'false']).default('false'),
      /** Extra CA certificate (PEM file) to trust for DATABASE_SSL, e.g. the tests' RDS-Proxy-like gate. */
      DATABASE_SSL_CA_FILE: z.string().min(1).optional(),
      DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(2),
      DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
      /** How long a request may wait for a pooled connection while all are busy (client.ts). */
      DB_POOL_WAIT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
      /** An idle pooled connection is closed after this long. */
      DB_IDLE_TIMEOUT_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
      // No statement timeout here: pg would send it as a startup parameter, which RDS Proxy refuses.
      // The application role carries its own timeouts (migration 20261130T1200_app_role).
    })
    .refine((e) => e.DATABASE_URL || (e.DATABASE_SECRET_ARN && e.DATABASE_HOST), {
      message: 'Set DATABASE_URL, or DATABASE_SECRET_ARN and DATABASE_HOST',
      path: ['DATABASE_URL'],
    }),
);
