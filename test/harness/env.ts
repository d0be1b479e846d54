import { inject } from 'vitest';

// Every test worker talks to the run's real Postgres, with fast bcrypt and quiet logs.
process.env.DATABASE_URL = inject('databaseUrl');
process.env.NODE_ENV = 'test';
process.env.JWT_SECRET ??= 'test-secret-that-is-long-enough-for-hs256-0123456789';
process.env.BCRYPT_COST = '10';
process.env.DB_POOL_MAX = '20';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
