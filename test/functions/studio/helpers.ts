import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { getDb } from '../../../shared/db/client.ts';
import { ffmpegPath } from '../../../shared/media/binaries.ts';
import { runBinary } from '../../../shared/media/run.ts';
import { storageEnv } from '../../../shared/storage/config.ts';
import { MEDIA_PREFIX } from '../../../shared/storage/keys.ts';
import { s3Client } from '../../../shared/storage/s3.ts';
import { makeTempDir } from '../../harness/media.ts';

/** The object key a media URL points at: a CDN (stand-in) URL, or a presigned path-style local one. */
export function keyOfUrl(url: string): string {
  const path = decodeURIComponent(new URL(url).pathname);
  if (path.startsWith(`/${MEDIA_PREFIX}`)) return path.slice(1);
  const bucketPrefix = `/${storageEnv().MEDIA_BUCKET}/`;
  if (!path.startsWith(bucketPrefix)) throw new Error(`not a media URL: ${url}`);
  return path.slice(bucketPrefix.length);
}

export async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} → ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Downloads a URL into a temp file (for probing clips). */
export async function downloadUrl(url: string, name: string): Promise<string> {
  const path = join(makeTempDir('lokiz-studio-test-'), name);
  await writeFile(path, await fetchBytes(url));
  return path;
}

/** What identifies one stored version of an object: a rewrite changes LastModified or ETag. */
export async function objectVersion(key: string) {
  const out = await (await s3Client()).send(
    new HeadObjectCommand({ Bucket: storageEnv().MEDIA_BUCKET, Key: key }),
  );
  return { etag: out.ETag, lastModified: out.LastModified?.toISOString() };
}

export function selectionsOf(userId: string) {
  return getDb().selectFrom('studio_selections').selectAll().where('user_id', '=', userId).execute();
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** The mean loudness (dBFS) of a file's sound over [startMs, endMs); -91 or lower is digital silence. */
export async function meanVolumeDb(file: string, startMs: number, endMs: number): Promise<number> {
  const { stderr } = await runBinary(ffmpegPath(), [
    '-hide_banner',
    '-nostdin',
    '-ss',
    (startMs / 1000).toFixed(3),
    '-t',
    ((endMs - startMs) / 1000).toFixed(3),
    '-i',
    file,
    '-vn',
    '-af',
    'volumedetect',
    '-f',
    'null',
    '-',
  ]);
  const m = /mean_volume: (-?[\d.]+|-inf) dB/.exec(stderr);
  if (!m) throw new Error(`no volume measured in ${file}`);
  return m[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(m[1]);
}
