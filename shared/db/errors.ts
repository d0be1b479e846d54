/** Classifies driver errors so the HTTP edge can answer 409 / 503 instead of 500. */
interface PgLikeError {
  code?: string;
  constraint?: string;
  message?: string;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  // Credentials refused even after re-reading the secret (client.ts): a rotation gone wrong is an
  // outage to the caller, not a bug in their request.
  '28P01', // invalid_password
  '28000', // invalid_authorization_specification
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  // pg's Client giving up on a connection attempt (DB_CONNECT_TIMEOUT_MS, db/client.ts).
  'timeout expired',
  'Client has encountered a connection error',
  'connect ECONNREFUSED',
];

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as PgLikeError & { errors?: unknown[] };
  if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
  // Node wraps dual-stack connection failures in an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable)) return true;
  return typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => e.message!.includes(m));
}

/** The server (or RDS Proxy) refused the credentials: invalid_password, invalid_authorization_specification. */
export function isAuthenticationFailure(err: unknown): boolean {
  const code = (err as PgLikeError | undefined)?.code;
  return code === '28P01' || code === '28000';
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as PgLikeError | undefined;
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

export function isForeignKeyViolation(err: unknown): boolean {
  return (err as PgLikeError | undefined)?.code === '23503';
}

/** Serialization failure / deadlock: safe to retry the whole transaction. */
export function isRetryableTransactionError(err: unknown): boolean {
  const code = (err as PgLikeError | undefined)?.code;
  return code === '40001' || code === '40P01';
}
