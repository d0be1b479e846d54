import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';

export const dbEnv = defineEnv(
  'database',
  z
    .object({
      /** Local and CI: a full URL. In AWS: unset; DATABASE_SECRET_ARN + DATABASE_HOST (the RDS Proxy) instead. */
      DATABASE_URL: z.optional(z.url({ protocol: /^postgres(ql)?$/ })),
      DATABASE_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
      DATABASE_HOST: z.optional(z.string().check(z.minLength(1))),
      DATABASE_PORT: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(65_535)), 5432),
      DATABASE_NAME: z._default(z.string().check(z.minLength(1)), 'lokiz'),
      DATABASE_SSL: z._default(z.enum(['true', 'false']), 'false'),
      /** Extra CA certificate (PEM file) to trust for DATABASE_SSL, e.g. the tests' RDS-Proxy-like gate. */
      DATABASE_SSL_CA_FILE: z.optional(z.string().check(z.minLength(1))),
      DB_POOL_MAX: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 2),
      DB_CONNECT_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.gte(100), z.lte(60_000)), 3_000),
      /** How long a request may wait for a pooled connection while all are busy (client.ts). */
      DB_POOL_WAIT_MS: z._default(z.coerce.number().check(z.int(), z.gte(100), z.lte(60_000)), 10_000),
      /** An idle pooled connection is closed after this long. */
      DB_IDLE_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.gte(10), z.lte(600_000)), 30_000),
      // No statement timeout here: pg would send it as a startup parameter, which RDS Proxy refuses.
      // The application role carries its own timeouts (migration 20261130T1200_app_role).
    })
    .check(
      z.refine((e) => e.DATABASE_URL || (e.DATABASE_SECRET_ARN && e.DATABASE_HOST), {
        message: 'Set DATABASE_URL, or DATABASE_SECRET_ARN and DATABASE_HOST',
        path: ['DATABASE_URL'],
      }),
    ),
);
