import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { storageEnv } from '../storage/config.ts';
import { MEDIA_PREFIX } from '../storage/keys.ts';
import { s3Client, s3Sdk } from '../storage/s3.ts';

/**
 * The local stand-in for the media CDN (CloudFront in AWS, infra/cdn.ts): GET/HEAD `/media/*` on the
 * local gateway, read from the local S3, so `npm run dev` and the tests play the same URLs a phone
 * gets (`${MEDIA_CDN_BASE_URL}/media/<video>/<rev>/play.mp4`). Like the distribution it serves only
 * the media/ prefix (anything else, or a missing key, is S3's 403 through Origin Access Control),
 * passes Range requests through (players seek with them) and adds the response headers policy's
 * headers. It caches nothing, so invalidations have nothing to do here.
 */
export const CDN_STANDIN_BANNER = '[cdn-standin] /media/* (offline stand-in, not CloudFront)';

export function isMediaPath(pathname: string): boolean {
  return pathname.startsWith(`/${MEDIA_PREFIX}`);
}

const HEADERS = {
  'access-control-allow-origin': '*',
  'x-content-type-options': 'nosniff',
  via: '1.1 cdn-standin (offline stand-in, not CloudFront)',
};

function denied(res: ServerResponse): void {
  res.writeHead(403, { 'content-type': 'application/xml', ...HEADERS });
  res.end(
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
  );
}

export async function serveMedia(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', ...HEADERS });
    return void res.end();
  }
  let key: string;
  try {
    key = decodeURIComponent(pathname.slice(1));
  } catch {
    return denied(res);
  }
  if (!key.startsWith(MEDIA_PREFIX) || key.split('/').includes('..')) return denied(res);

  const [{ GetObjectCommand, HeadObjectCommand }, s3] = await Promise.all([s3Sdk(), s3Client()]);
  const Bucket = storageEnv().MEDIA_BUCKET;
  const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
  try {
    const out =
      method === 'HEAD'
        ? await s3.send(new HeadObjectCommand({ Bucket, Key: key }))
        : await s3.send(new GetObjectCommand({ Bucket, Key: key, Range: range }));
    const partial = 'ContentRange' in out && out.ContentRange;
    const headers: Record<string, string> = {
      ...HEADERS,
      'accept-ranges': 'bytes',
      'content-type': out.ContentType ?? 'application/octet-stream',
      ...(out.ContentLength !== undefined ? { 'content-length': String(out.ContentLength) } : {}),
      ...(partial ? { 'content-range': partial } : {}),
      ...(out.CacheControl ? { 'cache-control': out.CacheControl } : {}),
      ...(out.ETag ? { etag: out.ETag } : {}),
      ...(out.LastModified ? { 'last-modified': out.LastModified.toUTCString() } : {}),
    };
    res.writeHead(partial ? 206 : 200, headers);
    if (method === 'HEAD' || !('Body' in out) || !out.Body) return void res.end();
    (out.Body as Readable).pipe(res);
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 416) {
      res.writeHead(416, HEADERS);
      return void res.end();
    }
    // S3 through OAC without ListBucket answers a missing key with 403, and so does CloudFront.
    if (status === 404 || status === 403) return denied(res);
    throw err;
  }
}
