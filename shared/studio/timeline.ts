import { captureTimelineFrames } from '../media/index.ts';
import { timelineFrameKey } from '../storage/keys.ts';
import { withLocalCopy } from '../storage/local-copy.ts';
import { uploadFile } from '../storage/s3.ts';
import { mediaDeadline, rethrowMediaTimeout } from './media-deadline.ts';
import type { StudioSource } from './source-video.ts';
import { readTimelineManifest, type TimelineManifest, writeTimelineManifest } from './timeline-manifest.ts';

/** Thumbnails for a scrubbing strip: small on purpose (a strip shows 4..20 side by side). */
const FRAME_MAX_WIDTH = 160;

/**
 * The `count`-frame strip of a video: made once with ffmpeg and kept in S3, then served from its
 * manifest. Concurrent first calls may both generate it; that is harmless: both write the same keys
 * with equivalent JPEGs of the same positions (a PUT replaces an object atomically, so a frame is never
 * half-written), and each writes its manifest only after all of its own frames, so whichever manifest
 * a reader finds, every frame it names exists.
 */
export async function loadOrCreateTimeline(video: StudioSource, count: number): Promise<TimelineManifest> {
  const cached = await readTimelineManifest(video.id, count);
  // Frames of the rendition being served: a new revision makes a new strip (same keys, replaced).
  if (cached && cached.media_key === video.media_key && cached.duration_ms === video.duration_ms)
    return cached;
  return createTimeline(video, count);
}

async function createTimeline(video: StudioSource, count: number): Promise<TimelineManifest> {
  return withLocalCopy(video.media_key, async (input, dir) => {
    const frames = await captureTimelineFrames(input, {
      durationMs: video.duration_ms,
      count,
      outDir: dir,
      maxWidth: FRAME_MAX_WIDTH,
      signal: mediaDeadline(),
    }).catch(rethrowMediaTimeout);
    const manifest: TimelineManifest = {
      video_id: video.id,
      media_key: video.media_key,
      count,
      duration_ms: video.duration_ms,
      frames: frames.map((f, i) => ({ at_ms: f.atMs, key: timelineFrameKey(video.id, count, i) })),
    };
    await Promise.all(frames.map((f, i) => uploadFile(manifest.frames[i]!.key, f.path, 'image/jpeg')));
    // Last: a manifest in S3 means the whole strip is there.
    await writeTimelineManifest(manifest);
    return manifest;
  });
}
