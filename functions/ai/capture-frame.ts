import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetKey, insertAsset } from '../../shared/assets/repository.ts';
import { getDb } from '../../shared/db/client.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { captureFrame as captureJpeg } from '../../shared/media/index.ts';
import { downloadToFile, mediaUrl, uploadFile } from '../../shared/storage/s3.ts';
import { findVisibleVideo } from '../../shared/videos/repository.ts';
import type { Routes } from '../routes.ts';

/** Free and synchronous: one JPEG from a video the caller can see, stored as their asset. */
export const captureFrame: RouteHandler<Routes['captureFrame']> = async ({ body, user }) => {
  const db = getDb();
  const video = await findVisibleVideo(db, body.video_id, user.id);
  if (!video) throw new NotFoundError('Video');
  if (video.status !== 'ready' || video.duration_ms === null) {
    throw new ConflictError('The video is still processing', undefined, 'video_not_ready');
  }
  if (body.at_ms > video.duration_ms) {
    throw new UnprocessableError(`at_ms is past the end of the video (${video.duration_ms} ms)`, {
      duration_ms: video.duration_ms,
    });
  }
  const id = randomUUID();
  const key = assetKey(user.id, id, 'jpg');
  const dir = await mkdtemp(join(tmpdir(), 'lokiz-capture-'));
  try {
    const source = join(dir, 'source');
    const out = join(dir, 'frame.jpg');
    await downloadToFile(video.source_key, source);
    const frame = await captureJpeg(source, {
      atMs: body.at_ms,
      durationMs: video.duration_ms,
      outPath: out,
      maxWidth: 1280,
    });
    await uploadFile(key, out, 'image/jpeg');
    await insertAsset(db, {
      id,
      owner_id: user.id,
      kind: 'frame',
      object_key: key,
      content_type: 'image/jpeg',
      status: 'ready',
      size_bytes: frame.sizeBytes,
      source_video_id: video.id,
    });
    return {
      asset_id: id,
      video_id: video.id,
      at_ms: body.at_ms,
      width: frame.width,
      height: frame.height,
      url: await mediaUrl(key),
      credits_spent: 0 as const,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
