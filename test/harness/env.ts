import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

// Every test worker talks to the run's real Postgres, with fast bcrypt and quiet logs.
process.env.DATABASE_URL = inject('databaseUrl');
process.env.NODE_ENV = 'test';
process.env.JWT_SECRET ??= 'test-secret-that-is-long-enough-for-hs256-0123456789';
process.env.BCRYPT_COST = '10';
process.env.DB_POOL_MAX = '20';
// Tests fire 100 requests at once at a 20-connection pool on a busy 2-core CI machine; the connect
// timeout also bounds the wait for a free pooled connection, and 3 s (Lambda's default, one request
// per instance) turned queueing into 503s. Tests about an unreachable database set their own.
process.env.DB_CONNECT_TIMEOUT_MS = '20000';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
// Every test registers from 127.0.0.1 and many start dozens of jobs at once: the per-client limits
// are tested (with their defaults and lower values) in test/functions/limits/limits.test.ts.
process.env.SIGNUPS_PER_IP_PER_HOUR = '1000000';
process.env.AI_JOBS_PER_USER_PER_MINUTE = '1000000';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// The local mail outbox (.eml files) of this test worker; tests read it (test/harness/mail.ts).
process.env.MAIL_OUTBOX_DIR = mkdtempSync(join(tmpdir(), 'lokiz-mail-'));
process.env.MAIL_TRANSPORT = 'outbox';
// Every error answer must be documented for its route (shared/http/error-catalogue.ts).
process.env.LOKIZ_CHECK_ERROR_DOCS = '1';
