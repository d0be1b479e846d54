import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { logger } from '../logging/logger.ts';
import { storageEnv } from './config.ts';
import { OWN_PREFIXES } from './keys.ts';

/**
 * S3 calls, with the SDK loaded on first use: `import()` of the package (not a static import, which
 * esbuild would hoist to the top of the bundle) keeps it out of the cold start of every function
 * that never touches S3 on the path being served (README "Cold start").
 */
type S3Sdk = typeof import('@aws-sdk/client-s3');
let sdkLoading: Promise<S3Sdk> | undefined;
export const s3Sdk = (): Promise<S3Sdk> => (sdkLoading ??= import('@aws-sdk/client-s3'));

let client: S3Client | undefined;

/** Module-scope client, reused across warm invocations. */
export async function s3Client(): Promise<S3Client> {
  if (!client) {
    const { S3Client } = await s3Sdk();
    const e = storageEnv();
    client ??= new S3Client({
      region: e.AWS_REGION,
      ...(e.S3_ENDPOINT ? { endpoint: e.S3_ENDPOINT, forcePathStyle: true } : {}),
      // Without these the SDK adds CRC32 checksums: streamed uploads get aws-chunked framing
      // and presigned PUT URLs carry an empty-body checksum that a real upload would fail.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }
  return client;
}

const resets: Array<() => void> = [];
/** Forgets the client (and anything built from it) after the environment changed (tests, local runtime). */
export function resetS3Client(): void {
  client = undefined;
  for (const reset of resets) reset();
}
/** For modules that cache something made from the client (the URL signer). */
export function onS3ClientReset(reset: () => void): void {
  resets.push(reset);
}

const bucket = () => storageEnv().MEDIA_BUCKET;

/** What media objects are served with: written once under a fresh key, so cacheable forever. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** The same for objects handed out only as signed URLs: browsers may keep them, shared caches not. */
export const PRIVATE_IMMUTABLE_CACHE_CONTROL = 'private, max-age=31536000, immutable';

/** A presigned PUT whose signature covers the content type and exact length the server agreed to. */
export async function presignUpload(key: string, contentType: string, contentLength: number) {
  const expiresIn = storageEnv().UPLOAD_URL_TTL_SECONDS;
  const [{ PutObjectCommand }, { getSignedUrl }, s3] = await Promise.all([
    s3Sdk(),
    import('@aws-sdk/s3-request-presigner'),
    s3Client(),
  ]);
  const url = await getSignedUrl(
    s3,
    new PutObjectCommand({
      Bucket: bucket(),
      Key: key,
      ContentType: contentType,
      ContentLength: contentLength,
    }),
    { expiresIn, signableHeaders: new Set(['content-type', 'content-length']) },
  );
  return { url, expiresAt: new Date(Date.now() + expiresIn * 1000) };
}

const deniedAsMissing = new Set<string>();

/**
 * Whether an S3 error on a GET/HEAD of `key` means "there is no such object". S3 answers a missing
 * key with 404 only to a caller allowed s3:ListBucket for it, and with 403 AccessDenied otherwise.
 * Our roles hold ListBucket conditioned on the prefixes they probe (infra/storage-access.ts), but
 * whether S3 honours that condition for a HEAD is not something a local test can show; so a 403 on
 * a key under one of our own prefixes is taken as missing too, never as a 500. If the role truly
 * lacked access, the write that follows a "missing" answer fails loudly instead. Other keys' 403s
 * are real errors.
 */
export function isMissingObjectError(err: unknown, key: string): boolean {
  // An S3 service answer, recognised by shape: `instanceof S3ServiceException` would need the SDK
  // imported statically, at every function's start-up.
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  if (typeof e !== 'object' || !e?.$metadata) return false;
  const status = e.$metadata.httpStatusCode;
  if (status === 404 || e.name === 'NotFound' || e.name === 'NoSuchKey') return true;
  const prefix = OWN_PREFIXES.find((p) => key.startsWith(p));
  if ((status === 403 || e.name === 'AccessDenied') && prefix !== undefined) {
    // Once per prefix and process: the day-one check (README) looks for this line.
    if (!deniedAsMissing.has(prefix)) {
      deniedAsMissing.add(prefix);
      logger.warn('S3 answered 403 for a key under our own prefix: taken as missing', { prefix, key });
    }
    return true;
  }
  return false;
}

export async function headObject(
  key: string,
): Promise<{ size: number; contentType: string | undefined; cacheControl: string | undefined } | null> {
  const [{ HeadObjectCommand }, s3] = await Promise.all([s3Sdk(), s3Client()]);
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    return { size: out.ContentLength ?? 0, contentType: out.ContentType, cacheControl: out.CacheControl };
  } catch (err) {
    if (isMissingObjectError(err, key)) return null;
    throw err;
  }
}

/** A small object's text, or null when it does not exist. */
export async function getObjectText(key: string): Promise<string | null> {
  const [{ GetObjectCommand }, s3] = await Promise.all([s3Sdk(), s3Client()]);
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    return out.Body ? await out.Body.transformToString() : null;
  } catch (err) {
    if (isMissingObjectError(err, key)) return null;
    throw err;
  }
}

/** The object's bytes as a stream (for copying into an archive without holding it in memory). */
export async function openObject(key: string): Promise<Readable> {
  const [{ GetObjectCommand }, s3] = await Promise.all([s3Sdk(), s3Client()]);
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  return out.Body as Readable;
}

export async function downloadToFile(key: string, path: string): Promise<void> {
  const [{ GetObjectCommand }, s3] = await Promise.all([s3Sdk(), s3Client()]);
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  await pipeline(out.Body as Readable, createWriteStream(path));
}

export async function uploadFile(
  key: string,
  path: string,
  contentType: string,
  cacheControl?: string,
): Promise<void> {
  const [{ PutObjectCommand }, s3] = await Promise.all([s3Sdk(), s3Client()]);
  const { size } = await stat(path);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket(),
      Key: key,
      Body: createReadStream(path),
      ContentType: contentType,
      ContentLength: size,
      CacheControl: cacheControl,
    }),
  );
}

export async function uploadBytes(key: string, body: Uint8Array, contentType: string): Promise<void> {
  const [{ PutObjectCommand }, s3] = await Promise.all([s3Sdk(), s3Client()]);
  await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body, ContentType: contentType }));
}

/** A server-side copy (no bytes through the Lambda) with its own Cache-Control. */
export async function copyObject(from: string, to: string, cacheControl?: string): Promise<void> {
  const [{ CopyObjectCommand }, s3] = await Promise.all([s3Sdk(), s3Client()]);
  const head = await headObject(from);
  if (!head) throw new Error(`copyObject: ${from} does not exist`);
  await s3.send(
    new CopyObjectCommand({
      Bucket: bucket(),
      CopySource: `${bucket()}/${from.split('/').map(encodeURIComponent).join('/')}`,
      Key: to,
      MetadataDirective: 'REPLACE',
      ContentType: head.contentType,
      CacheControl: cacheControl,
    }),
  );
}

/** DeleteObjects takes at most 1000 keys per call. */
const DELETE_BATCH = 1000;

export async function deleteObjects(keys: string[]): Promise<void> {
  const objects = [...new Set(keys.filter(Boolean))].map((Key) => ({ Key }));
  if (!objects.length) return;
  const [{ DeleteObjectsCommand }, s3] = await Promise.all([s3Sdk(), s3Client()]);
  for (let i = 0; i < objects.length; i += DELETE_BATCH) {
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket(),
        Delete: { Objects: objects.slice(i, i + DELETE_BATCH), Quiet: true },
      }),
    );
    // Quiet mode lists only failures; a key that was never there is not one.
    if (out.Errors?.length) {
      throw new Error(`could not delete ${out.Errors.length} objects (first: ${out.Errors[0]?.Key})`);
    }
  }
}

/**
 * Keys in S3 event notifications are URL-encoded the way HTML forms are (space → '+').
 * Decode them the same way before looking anything up.
 */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** The inverse, for building S3-shaped events locally. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}
