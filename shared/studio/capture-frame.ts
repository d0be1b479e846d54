import { join } from 'node:path';
import { extractFrame } from '../media/index.ts';
import { withLocalCopy } from '../storage/local-copy.ts';
import { uploadFile } from '../storage/s3.ts';
import type { StudioSource } from './source-video.ts';

/**
 * One JPEG (at most 1280 wide) of the video's rendition at `atMs`, stored at `key`. The rendition
 * is downloaded whole: ffmpeg only ever reads local files.
 */
export function captureFrameImage(video: StudioSource, atMs: number, key: string) {
  return withLocalCopy(video.media_key, async (source, dir) => {
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
}
