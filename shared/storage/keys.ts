import { TIMELINE_COUNT_MAX, TIMELINE_COUNT_MIN } from '../studio/rules.ts';

/**
 * Every object key in the media bucket, built here and only here (never chosen by a client).
 * The prefixes are contracts between Lambdas: infra/ grants S3 access, wires bucket events and
 * lets CloudFront read by them, so each says who writes it and which event, if any, it triggers.
 */

/**
 * The inbox: people's uploads (presigned PUT) and AI video outputs (settle's copy). ObjectCreated
 * here invokes the process-upload worker (infra/media.ts), which validates and transcodes the
 * object into the keys below and then deletes it. Nothing under uploads/ is ever served.
 */
export const UPLOADS_PREFIX = 'uploads/';
/**
 * Public media, served by CloudFront (infra/cdn.ts; the bucket policy lets it read only this
 * prefix): immutable objects written once by process-upload, one folder per video and revision.
 * No event.
 */
export const MEDIA_PREFIX = 'media/';
/** The same objects for private videos: never behind the CDN, handed out as signed URLs. No event. */
export const PRIVATE_MEDIA_PREFIX = 'private/';
/** Whether a media key is under private/ (signed, never behind the CDN). */
export function isPrivateMediaKey(key: string): boolean {
  return key.startsWith(PRIVATE_MEDIA_PREFIX);
}

/** Validated originals, kept for the AI models and reprocessing; never served. No event. */
export const ORIGINALS_PREFIX = 'originals/';
/** Poster frames of videos processed before media revisions existed (read and deleted only). No event. */
export const THUMBNAILS_PREFIX = 'thumbnails/';
/** Character images (presigned PUT), captured frames and AI music outputs. No event. */
export const ASSETS_PREFIX = 'assets/';
/** Studio scrubbing strips and their manifests. No event. */
export const STUDIO_TIMELINE_PREFIX = 'studio/timeline/';
/** Studio range cuts (the ≤10 s clips glitches are made from). No event. */
export const STUDIO_CLIPS_PREFIX = 'studio/clips/';
/**
 * Avatar uploads (presigned PUT). ObjectCreated here invokes process-upload too, which makes the
 * square avatar images and deletes the upload (infra/media.ts).
 */
export const AVATAR_INBOX_PREFIX = 'avatars/inbox/';
/**
 * Processed avatars: `media/avatars/<user>/<avatar id>/{512,128}.jpg`, public and immutable (a new
 * avatar gets a new id), so under media/: served by the CDN like the other public media. Written
 * by process-upload only. No event.
 */
export const AVATARS_PREFIX = `${MEDIA_PREFIX}avatars/`;
/** Account data exports (zip), private, expire after 7 days (bucket lifecycle). No event. */
export const EXPORTS_PREFIX = 'exports/';

/** Every prefix above: the keys this app writes, and so the only ones it ever probes for existence. */
export const OWN_PREFIXES: readonly string[] = [
  UPLOADS_PREFIX,
  MEDIA_PREFIX,
  PRIVATE_MEDIA_PREFIX,
  ORIGINALS_PREFIX,
  THUMBNAILS_PREFIX,
  ASSETS_PREFIX,
  STUDIO_TIMELINE_PREFIX,
  STUDIO_CLIPS_PREFIX,
  AVATAR_INBOX_PREFIX,
  EXPORTS_PREFIX,
];

export const AVATAR_SIZES = { large: 512, small: 128 } as const;

export function avatarInboxKey(userId: string, avatarId: string, ext: string): string {
  return `${AVATAR_INBOX_PREFIX}${userId}/${avatarId}.${ext}`;
}

export function avatarKey(userId: string, avatarId: string, size: number): string {
  return `${AVATARS_PREFIX}${userId}/${avatarId}/${size}.jpg`;
}

/** The small square next to the large one whose key is stored on the account. */
export function avatarSmallKey(largeKey: string): string {
  return largeKey.replace(new RegExp(`/${AVATAR_SIZES.large}\\.jpg$`), `/${AVATAR_SIZES.small}.jpg`);
}

/** CDN paths of a person's avatars (account deletion). */
export function avatarCdnPaths(userId: string): string[] {
  return [`/${AVATARS_PREFIX}${userId}/*`];
}

/** The CDN path of one retired avatar (both sizes), from its large key; none for a key not behind the CDN. */
export function retiredAvatarCdnPaths(largeKey: string): string[] {
  return largeKey.startsWith(AVATARS_PREFIX) ? [`/${largeKey.replace(/[^/]+$/, '*')}`] : [];
}

export function exportKey(userId: string, exportId: string): string {
  return `${EXPORTS_PREFIX}${userId}/${exportId}.zip`;
}
/** Studio range previews: low-resolution proxy clips, one per (video, revision, range). No event. */
export const STUDIO_PREVIEWS_PREFIX = 'studio/previews/';

export const VIDEO_TYPES = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
} as const;
export type VideoContentType = keyof typeof VIDEO_TYPES;

export function videoUploadKey(userId: string, videoId: string, contentType: VideoContentType): string {
  return `${UPLOADS_PREFIX}${userId}/${videoId}.${VIDEO_TYPES[contentType]}`;
}

/** An AI job's video output: under uploads/, so it goes through process-upload like any upload. */
export function aiVideoKey(job: { id: string; user_id: string }): string {
  return `${UPLOADS_PREFIX}${job.user_id}/${job.id}.mp4`;
}

export type MediaVisibility = 'public' | 'private';

/** The objects process-upload makes for one revision of a video. */
export interface VideoMediaKeys {
  /** H.264 + AAC mp4, ≤ 720×1280, faststart: what every client plays. */
  playback: string;
  /** JPEG poster frame. */
  poster: string;
  /** A short silent loop for grids. */
  preview: string;
}

/** Public and private media of a video differ only in the prefix. */
function mediaFolder(videoId: string, rev: number, visibility: MediaVisibility): string {
  return `${visibility === 'public' ? MEDIA_PREFIX : PRIVATE_MEDIA_PREFIX}${videoId}/${rev}/`;
}

/**
 * Revision `rev` of a video's media. A revision is written once and never changed: new bytes
 * (a reprocessing, a change of visibility) get a new revision, so URLs can be cached forever.
 */
export function videoMediaKeys(videoId: string, rev: number, visibility: MediaVisibility): VideoMediaKeys {
  const folder = mediaFolder(videoId, rev, visibility);
  return { playback: `${folder}play.mp4`, poster: `${folder}poster.jpg`, preview: `${folder}preview.mp4` };
}

/**
 * The revision a served key belongs to (the inverse of videoMediaKeys), or 0 for keys from before
 * media revisions (a video served from its upload). `videos.media_rev` is the last revision handed
 * out, which a run still making the next one has already taken: what is served is in the keys.
 */
export function revisionOfMediaKey(key: string): number {
  for (const prefix of [MEDIA_PREFIX, PRIVATE_MEDIA_PREFIX]) {
    if (!key.startsWith(prefix)) continue;
    const rev = key.slice(prefix.length).split('/')[1];
    if (rev && /^\d+$/.test(rev)) return Number(rev);
  }
  return 0;
}

/** The validated upload of revision `rev`, byte for byte. */
export function originalKey(videoId: string, rev: number, contentType: string): string {
  const ext = VIDEO_TYPES[contentType as VideoContentType] ?? 'bin';
  return `${ORIGINALS_PREFIX}${videoId}/${rev}.${ext}`;
}

/** CDN paths to invalidate when a video's public media go away (one wildcard path per video). */
export function videoCdnPaths(videoId: string): string[] {
  return [`/${MEDIA_PREFIX}${videoId}/*`];
}

export function assetKey(userId: string, assetId: string, ext: string): string {
  return `${ASSETS_PREFIX}${userId}/${assetId}.${ext}`;
}

/** An AI job's audio output (music). */
export function aiAudioKey(job: { id: string; user_id: string }): string {
  return assetKey(job.user_id, job.id, 'audio');
}

/** Frame `index` of the `count`-frame strip of a video. */
export function timelineFrameKey(videoId: string, count: number, index: number): string {
  return `${STUDIO_TIMELINE_PREFIX}${videoId}/${count}/${index}.jpg`;
}

/** Written after every frame of its strip: its presence means the strip is complete. */
export function timelineManifestKey(videoId: string, count: number): string {
  return `${STUDIO_TIMELINE_PREFIX}${videoId}/${count}/manifest.json`;
}

export function selectionClipKey(selectionId: string): string {
  return `${STUDIO_CLIPS_PREFIX}${selectionId}.mp4`;
}

/** The proxy clip of [startMs, endMs) of revision `rev` of a video (listed by studio_previews rows). */
export function rangePreviewKey(videoId: string, rev: number, startMs: number, endMs: number): string {
  return `${STUDIO_PREVIEWS_PREFIX}${videoId}/${rev}/${startMs}-${endMs}.mp4`;
}

/**
 * Every key a video's timeline strips can have (a few hundred), so removing a video's strips
 * needs only DeleteObjects, not a ListBucket permission.
 */
export function allTimelineKeys(videoId: string): string[] {
  const keys: string[] = [];
  for (let count = TIMELINE_COUNT_MIN; count <= TIMELINE_COUNT_MAX; count++) {
    keys.push(timelineManifestKey(videoId, count));
    for (let i = 0; i < count; i++) keys.push(timelineFrameKey(videoId, count, i));
  }
  return keys;
}
