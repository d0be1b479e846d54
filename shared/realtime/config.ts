import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';

/** Set by infra/realtime.ts on the functions that talk to sockets. */
export const MANAGEMENT_URL_ENV = 'WEBSOCKET_MANAGEMENT_URL';

/** What fan-out and the sweeper need to reach open sockets. */
export const liveEnv = defineEnv(
  'live',
  z.object({
    /**
     * The WebSocket API's management endpoint (`https://<api>.execute-api.<region>.amazonaws.com/live`);
     * locally the management API stand-in (`http://127.0.0.1:<port>`).
     */
    WEBSOCKET_MANAGEMENT_URL: z.url(),
    AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  }),
);

/** The sweeper's thresholds (README: Configuration). */
export const sweepEnv = defineEnv(
  'outbox sweep',
  z.object({
    /** An undelivered event this old is handed to fan-out again (its wake-up was lost or failed). */
    OUTBOX_RETRY_AFTER_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(3600)), 30),
    /** Delivery attempts after which an event is given up (logged as an error; the alarm fires). */
    OUTBOX_MAX_ATTEMPTS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 10),
    /** Delivered events and sent like windows are kept this long (for inspection), then deleted. */
    OUTBOX_RETENTION_HOURS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(720)), 24),
  }),
);
