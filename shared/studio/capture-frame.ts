import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { insertAsset } from '../assets/repository.ts';
import type { Db } from '../db/client.ts';
import { NotFoundError } from '../http/errors.ts';
import { extractFrame } from '../media/index.ts';
import { assetKey } from '../storage/keys.ts';
import { withLocalCopy } from '../storage/local-copy.ts';
import { deleteObjects, uploadFile } from '../storage/s3.ts';
import { holdLiveVideo } from '../videos/repository.ts';
import type { StudioSource } from './source-video.ts';

/**
 * One JPEG (at most 1280 wide) of the video's rendition at `atMs`, stored as the user's `frame`
 * asset. The rendition is downloaded whole: ffmpeg only ever reads local files. The video may be
 * deleted while its frame is made: its deletion removes the frames recorded by then
 * (shared/videos/media.ts), so this one is recorded only while the video is still live (its row
 * held FOR SHARE), else its object is deleted and the video is missing (404).
 */
export async function captureFrameAsset(db: Db, userId: string, video: StudioSource, atMs: number) {
  const id = randomUUID();
  const key = assetKey(userId, id, 'jpg');
  const frame = await withLocalCopy(video.media_key, async (source, dir) => {
    const out = join(dir, 'frame.jpg');
    const captured = await extractFrame(source, {
      atMs,
      durationMs: video.duration_ms,
      outPath: out,
      maxWidth: 1280,
    });
    await uploadFile(key, out, 'image/jpeg');
    return captured;
  });
  const recorded = await db.transaction().execute(async (trx) => {
    if (!(await holdLiveVideo(trx, video.id))) return false;
    await insertAsset(trx, {
      id,
      owner_id: userId,
      kind: 'frame',
      object_key: key,
      content_type: 'image/jpeg',
      status: 'ready',
      size_bytes: frame.sizeBytes,
      source_video_id: video.id,
    });
    return true;
  });
  if (!recorded) {
    await deleteObjects([key]);
    throw new NotFoundError('Video');
  }
  return { id, key, width: frame.width, height: frame.height };
}
