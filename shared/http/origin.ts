import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';
import { forgetSecret, getSecretString } from '../config/secrets.ts';
import { ForbiddenError } from './errors.ts';

/**
 * The API is reached through CloudFront, whose AWS WAF web ACL rate-limits per client
 * (infra/edge.ts). CloudFront adds ORIGIN_SECRET_HEADER with a secret value to every request it
 * forwards; each domain Lambda refuses requests without it, so calling the execute-api endpoint
 * directly cannot bypass the ACL. Locally (no secret configured) there is no CloudFront and no check.
 */
export const ORIGIN_SECRET_HEADER = 'x-lokiz-origin';
/** Added by CloudFront (origin request policy): the viewer's `ip:port`. */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

export const originEnv = defineEnv(
  'origin',
  z.object({
    /** The header's value locally (tests); in AWS ORIGIN_SECRET_ARN (Secrets Manager). */
    ORIGIN_SECRET: z.optional(z.string().check(z.minLength(32))),
    ORIGIN_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
  }),
);

async function expectedSecret(): Promise<string | undefined> {
  const e = originEnv();
  return e.ORIGIN_SECRET ?? (e.ORIGIN_SECRET_ARN ? await getSecretString(e.ORIGIN_SECRET_ARN) : undefined);
}

/** When the secret is changed (and deployed to CloudFront), a warm Lambda re-reads it, at most once a minute. */
const REREAD_INTERVAL_MS = 60_000;
let lastReread = 0;

function matches(given: string, wanted: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(wanted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What verifyOrigin reads: an HTTP API event, or a WebSocket API's $connect. */
type WithHeaders = { headers?: Record<string, string | undefined> };

function header(event: WithHeaders, name: string): string | undefined {
  return event.headers?.[name];
}

/**
 * Refuses (403) a request that did not come through CloudFront when an origin secret is
 * configured. Returns whether it did (so CloudFront's headers can be believed).
 */
export async function verifyOrigin(event: WithHeaders): Promise<boolean> {
  const expected = await expectedSecret();
  if (expected === undefined) return false;
  const given = header(event, ORIGIN_SECRET_HEADER) ?? '';
  if (matches(given, expected)) return true;
  const arn = originEnv().ORIGIN_SECRET_ARN;
  if (given && arn && Date.now() - lastReread > REREAD_INTERVAL_MS) {
    lastReread = Date.now();
    forgetSecret(arn);
    if (matches(given, await getSecretString(arn))) return true;
  }
  throw new ForbiddenError('Call the API through its public URL');
}

/**
 * The client's IP: CloudFront's viewer address when the request provably came through CloudFront
 * (API Gateway then sees CloudFront's edge as the source), else API Gateway's source IP. A client
 * can send a CloudFront-Viewer-Address header of its own; it is believed only with the secret.
 */
export function clientIp(event: APIGatewayProxyEventV2, viaCloudFront: boolean): string {
  const viewer = viaCloudFront ? header(event, VIEWER_ADDRESS_HEADER) : undefined;
  // `198.51.100.7:46532` or `2001:db8::1:46532`: the port follows the last colon.
  const ip = viewer?.includes(':') ? viewer.slice(0, viewer.lastIndexOf(':')) : undefined;
  return (ip || event.requestContext?.http?.sourceIp || 'unknown').toLowerCase();
}
