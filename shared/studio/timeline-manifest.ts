import * as z from 'zod/mini';
import { timelineManifestKey } from '../storage/keys.ts';
import { getObjectText, uploadBytes } from '../storage/s3.ts';

const TimelineManifest = z.object({
  video_id: z.string(),
  /** The rendition the frames were taken from: a new revision (a soundtrack, a move) makes a new strip. */
  media_key: z.optional(z.string()),
  count: z.number().check(z.int()),
  duration_ms: z.number().check(z.int()),
  frames: z.array(z.object({ at_ms: z.number().check(z.int()), key: z.string() })),
});
export type TimelineManifest = z.infer<typeof TimelineManifest>;

/**
 * The stored manifest of a video's `count`-frame strip, or null when there is none yet (or it does not
 * describe that strip, e.g. written by an older format: it is then simply regenerated).
 * A missing key may come back as 403 in AWS: getObjectText (isMissingObjectError) takes either as
 * "no manifest".
 */
export async function readTimelineManifest(videoId: string, count: number): Promise<TimelineManifest | null> {
  const text = await getObjectText(timelineManifestKey(videoId, count));
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = TimelineManifest.safeParse(json);
  if (!parsed.success) return null;
  const manifest = parsed.data;
  if (manifest.video_id !== videoId || manifest.count !== count || manifest.frames.length !== count)
    return null;
  return manifest;
}

export async function writeTimelineManifest(manifest: TimelineManifest): Promise<void> {
  await uploadBytes(
    timelineManifestKey(manifest.video_id, manifest.count),
    Buffer.from(JSON.stringify(manifest)),
    'application/json',
  );
}
