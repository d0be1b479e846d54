import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com), the scheme Replicate signs its webhooks with.
 *
 * Headers: `webhook-id` (the same on every retry of one message), `webhook-timestamp` (Unix seconds of this
 * attempt) and `webhook-signature` (space-separated `v1,<base64>` entries; several during secret rotation).
 * Signed content: `${id}.${timestamp}.${rawBody}`, HMAC-SHA256 keyed by the base64-decoded part of the
 * `whsec_…` secret.
 *
 * Unlike `validateWebhook` of the replicate package (1.4.0), this checks the timestamp window (replay
 * protection) and compares in constant time.
 */

/** Why a webhook was refused: short and stable, safe to log and count. */
export type WebhookSignatureFailure = 'missing_headers' | 'bad_timestamp' | 'stale' | 'bad_signature';

export class WebhookSignatureError extends Error {
  constructor(
    readonly reason: WebhookSignatureFailure,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

/** Node's IncomingHttpHeaders, API Gateway's headers, or a fetch `Headers`. */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The exact bytes as received: a string, or raw bytes (e.g. a base64-decoded API Gateway body). */
export type WebhookBody = string | Uint8Array;

export interface VerifyWebhookInput {
  /** `whsec_<base64>` (the prefix is optional). */
  secret: string;
  headers: WebhookHeaders;
  rawBody: WebhookBody;
  /** Accepted clock difference, both into the past and into the future. Default 300 s. */
  toleranceSeconds?: number;
  /** Current time in ms. Default `Date.now()`. */
  now?: number;
}

export interface VerifiedWebhook {
  /** Stable across retries of one message: use it to deduplicate. */
  webhookId: string;
  /** Unix seconds of this delivery attempt. */
  timestamp: number;
}

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_VERSION = 'v1';

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  // A configuration error, not a bad request: never reported as a WebhookSignatureError.
  if (key.length === 0)
    throw new TypeError('Webhook secret is empty or not base64 (expected whsec_<base64>)');
  return key;
}

function hmac(secret: string, webhookId: string, timestamp: number | string, rawBody: WebhookBody): Buffer {
  return createHmac('sha256', secretKey(secret))
    .update(`${webhookId}.${timestamp}.`)
    .update(rawBody)
    .digest();
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  let value: string | readonly string[] | null | undefined;
  if (typeof headers.get === 'function') {
    value = (headers as { get(name: string): string | null }).get(name);
  } else {
    const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : record[key];
  }
  const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(' ') : undefined;
  return text?.trim() || undefined;
}

/**
 * Verifies a Standard Webhooks signature and its timestamp window. Returns the webhook id and timestamp;
 * throws a WebhookSignatureError otherwise.
 */
export function verifyWebhookSignature({
  secret,
  headers,
  rawBody,
  toleranceSeconds = 300,
  now = Date.now(),
}: VerifyWebhookInput): VerifiedWebhook {
  const webhookId = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!webhookId || !timestampText || !signatures) {
    throw new WebhookSignatureError(
      'missing_headers',
      'Missing webhook-id, webhook-timestamp or webhook-signature',
    );
  }

  if (!/^\d{1,15}$/.test(timestampText)) {
    throw new WebhookSignatureError('bad_timestamp', 'webhook-timestamp is not a Unix time in seconds');
  }
  const timestamp = Number(timestampText);
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) {
    throw new WebhookSignatureError('stale', 'webhook-timestamp is outside the accepted window');
  }

  // Signed with the header text exactly as sent (leading zeros included).
  const expected = hmac(secret, webhookId, timestampText, rawBody);
  let matched = false;
  for (const entry of signatures.split(/\s+/)) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== SIGNATURE_VERSION) continue;
    const candidate = Buffer.from(entry.slice(comma + 1), 'base64');
    // No early exit: every v1 entry is compared, in constant time for equal lengths.
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  if (!matched) throw new WebhookSignatureError('bad_signature', 'No valid v1 webhook signature');

  return { webhookId, timestamp };
}

/** The `webhook-signature` header value (`v1,<base64>`) for one delivery attempt. */
export function signWebhook({
  secret,
  webhookId,
  timestamp,
  rawBody,
}: {
  secret: string;
  webhookId: string;
  /** Unix seconds, as sent in `webhook-timestamp`. */
  timestamp: number;
  rawBody: WebhookBody;
}): string {
  return `${SIGNATURE_VERSION},${hmac(secret, webhookId, timestamp, rawBody).toString('base64')}`;
}

/** A new signing secret in Replicate's format: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}
