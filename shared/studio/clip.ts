import { join } from 'node:path';
import { UnprocessableError } from '../http/errors.ts';
import { cutClip, MediaProcessError, type VideoProbe } from '../media/index.ts';
import { withLocalCopy } from '../storage/local-copy.ts';
import { uploadFile } from '../storage/s3.ts';
import { mediaDeadline, rethrowMediaTimeout } from './media-deadline.ts';
import type { MsRange } from './rules.ts';
import type { StudioSource } from './source-video.ts';

/**
 * Cuts `range` of the video into its own mp4 at `clipKey` (frame-accurate re-encode, metadata
 * stripped; see cutClip). The source is downloaded whole: ffmpeg only ever reads local files.
 */
export async function cutSelectionClip(
  video: StudioSource,
  range: MsRange,
  clipKey: string,
): Promise<VideoProbe> {
  return withLocalCopy(video.media_key, async (input, dir) => {
    const output = join(dir, 'clip.mp4');
    const probe = await cutClip(input, {
      startMs: range.start_ms,
      endMs: range.end_ms,
      outPath: output,
      signal: mediaDeadline(),
    }).catch((err: unknown) => {
      // The range is inside the recorded duration but has no picture (e.g. audio outlasting video).
      if (err instanceof MediaProcessError && err.reason === 'no_output') {
        throw new UnprocessableError('The video has no picture in that range', range, 'range_outside_video');
      }
      return rethrowMediaTimeout(err);
    });
    await uploadFile(clipKey, output, 'video/mp4');
    return probe;
  });
}
