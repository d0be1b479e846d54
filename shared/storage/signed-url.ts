import type { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { storageEnv } from './config.ts';
import { onS3ClientReset, s3Client } from './s3.ts';

/**
 * Presigned GET URLs for media that must not be public (private videos, studio strips and clips,
 * character images, frames, music), at ~30 µs each (BENCHMARKS.md "Media").
 *
 * `getSignedUrl(client, new GetObjectCommand(…))` costs ~0.35 ms of CPU per URL: it rebuilds the
 * client's middleware stack and resolves the endpoint rules for every call. Here one
 * S3RequestPresigner is made per process from the client's config (credentials, region, hashing),
 * and each URL is a plain request to `<bucket endpoint>/<key>` that it signs.
 *
 * Stable URLs: a URL is signed as of the start of its window (half the TTL), so every call in the
 * window returns the same URL (and clients and caches can keep it), valid for at least half the TTL
 * and at most the whole TTL from now. Within a process the URL is also memoised.
 */
export interface SignedUrl {
  url: string;
  expiresAt: Date;
}

interface Signer {
  presigner: S3RequestPresigner;
  protocol: string;
  hostname: string;
  port: number | undefined;
  /** Path up to the key: `/` for virtual-hosted buckets, `/<bucket>/` for path-style (local S3). */
  pathPrefix: string;
}

let signer: Promise<Signer> | undefined;
const memo = new Map<string, string>();
const MEMO_MAX = 10_000;
onS3ClientReset(() => {
  signer = undefined;
  memo.clear();
});

async function makeSigner(): Promise<Signer> {
  const [{ S3RequestPresigner }, client] = await Promise.all([
    import('@aws-sdk/s3-request-presigner'),
    s3Client(),
  ]);
  const e = storageEnv();
  const presigner = new S3RequestPresigner({ ...client.config });
  if (e.S3_ENDPOINT) {
    const endpoint = new URL(e.S3_ENDPOINT);
    return {
      presigner,
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      pathPrefix: `/${e.MEDIA_BUCKET}/`,
    };
  }
  // Virtual-hosted style, as the SDK addresses a bucket without dots (CDK-generated names have none).
  return {
    presigner,
    protocol: 'https:',
    hostname: `${e.MEDIA_BUCKET}.s3.${e.AWS_REGION}.amazonaws.com`,
    port: undefined,
    pathPrefix: '/',
  };
}

const RFC3986_EXTRA = /[!'()*]/;
const RFC3986_EXTRA_ALL = /[!'()*]/g;
/** Characters no key needs escaped (the keys of storage/keys.ts are made of these). */
const PATH_SAFE = /^[A-Za-z0-9._~/-]*$/;

/** RFC 3986 escaping as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function escapeUri(value: string): string {
  const escaped = encodeURIComponent(value);
  return RFC3986_EXTRA.test(escaped)
    ? escaped.replace(RFC3986_EXTRA_ALL, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    : escaped;
}

function escapePath(key: string): string {
  return PATH_SAFE.test(key) ? key : key.split('/').map(escapeUri).join('/');
}

/** Start of the current signing window and when URLs signed in it expire. */
export function signingWindow(ttlSeconds: number, now = Date.now()): { signedAt: Date; expiresAt: Date } {
  const windowMs = (ttlSeconds * 1000) / 2;
  const start = Math.floor(now / windowMs) * windowMs;
  return { signedAt: new Date(start), expiresAt: new Date(start + ttlSeconds * 1000) };
}

/** A presigned GET of `key`, valid until `expiresAt` (≥ half of `ttlSeconds` from now). */
export async function signedMediaUrl(key: string, ttlSeconds?: number): Promise<SignedUrl> {
  const ttl = ttlSeconds ?? storageEnv().DOWNLOAD_URL_TTL_SECONDS;
  const { signedAt, expiresAt } = signingWindow(ttl);
  const memoKey = `${ttl}|${signedAt.getTime()}|${key}`;
  const cached = memo.get(memoKey);
  if (cached) return { url: cached, expiresAt };

  signer ??= makeSigner();
  const s = await signer;
  const path = `${s.pathPrefix}${escapePath(key)}`;
  const signed = await s.presigner.presign(
    {
      method: 'GET',
      protocol: s.protocol,
      hostname: s.hostname,
      port: s.port,
      path,
      query: {},
      headers: {},
    },
    { signingDate: signedAt, expiresIn: ttl },
  );
  const params = signed.query ?? {};
  const query = Object.keys(params)
    .sort()
    .map((name) => `${escapeUri(name)}=${escapeUri(String(params[name]))}`)
    .join('&');
  const url = `${s.protocol}//${s.hostname}${s.port ? `:${s.port}` : ''}${path}?${query}`;
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(memoKey, url);
  return { url, expiresAt };
}
