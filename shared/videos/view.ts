import * as z from 'zod/mini';
import { EX } from '../http/examples.ts';
import { Timestamp } from '../http/schemas.ts';
import { isPrivateMediaKey } from '../storage/keys.ts';
import { mediaUrl, publicMediaUrl, signedUrlsExpireAt } from '../storage/media-url.ts';
import { USER_SUMMARY_EXAMPLE, UserSummary } from '../users/view.ts';
import type { VideoViewRow } from './repository.ts';

/** A ready public video as anyone sees it, with AI music put on it (revision 2) (the OpenAPI example). */
export const VIDEO_EXAMPLE = {
  id: EX.videoId,
  owner: USER_SUMMARY_EXAMPLE,
  caption: 'my cat vs. the vacuum #lokiz #cat',
  visibility: 'public',
  status: 'ready',
  failure_reason: null,
  origin: 'upload',
  ai_generated: false,
  ai_model: null,
  music: {
    job_id: EX.jobId,
    model: 'minimax/music-1.5',
    licence: "MiniMax music-1.5 output, used under Replicate's and MiniMax's terms for generated content",
    licence_url: 'https://replicate.com/minimax/music-1.5',
  },
  duration_ms: 8400,
  width: 720,
  height: 1280,
  like_count: 42,
  comment_count: 5,
  glitch_count: 2,
  liked_by_me: false,
  video_url: EX.cdn(`media/${EX.videoId}/2/play.mp4`),
  thumbnail_url: EX.cdn(`media/${EX.videoId}/2/poster.jpg`),
  preview_url: EX.cdn(`media/${EX.videoId}/2/preview.mp4`),
  urls_expire_at: null,
  glitch_of: null,
  allow_glitches: true,
  allow_frame_capture: true,
  removed_reason: null,
  created_at: EX.time,
  updated_at: EX.later,
};

export const VideoView = z
  .object({
    id: z.string(),
    owner: UserSummary,
    caption: z.string(),
    visibility: z.enum(['public', 'private']),
    /**
     * `held`: an AI output whose poster frame failed screening (its owner only sees it, with
     * signed URLs: it is off the CDN until a moderator releases it);
     * `removed`: taken down by a moderator (its owner only sees it, with `removed_reason`).
     */
    status: z.enum(['uploading', 'processing', 'ready', 'failed', 'held', 'removed']),
    /** Only the owner sees why an upload failed. */
    failure_reason: z.nullable(z.string()),
    origin: z.enum(['upload', 'glitch', 'template']),
    /** Made by an AI model (glitches and templates): label it as such. */
    ai_generated: z.boolean(),
    /** The model that made it, e.g. `google/veo-3-fast`; null for uploads. */
    ai_model: z.nullable(z.string()),
    /**
     * AI music put on the video (POST /v1/studio/videos/{id}/music): the music job, the model that made
     * it (e.g. `minimax/music-1.5`) and the terms it is used under. null when the sound is the video's own.
     */
    music: z.nullable(
      z.object({ job_id: z.string(), model: z.string(), licence: z.string(), licence_url: z.string() }),
    ),
    duration_ms: z.nullable(z.number().check(z.int())),
    width: z.nullable(z.number().check(z.int())),
    height: z.nullable(z.number().check(z.int())),
    like_count: z.number().check(z.int()),
    comment_count: z.number().check(z.int()),
    glitch_count: z.number().check(z.int()),
    /** null when the caller is logged out. */
    liked_by_me: z.nullable(z.boolean()),
    /**
     * The playback rendition (H.264/AAC mp4, ≤ 720×1280), its poster (JPEG) and a short silent loop
     * for grids; null until the video is ready (preview_url also for videos from before previews).
     * Public videos: CDN URLs that never change. Private ones: signed URLs, until `urls_expire_at`.
     */
    video_url: z.nullable(z.string()),
    thumbnail_url: z.nullable(z.string()),
    preview_url: z.nullable(z.string()),
    /** When the signed URLs above stop working; null when they are CDN URLs (or there are none). */
    urls_expire_at: z.nullable(z.string()),
    /** For glitches: the video it was made from; `available: false` once that one is gone. */
    glitch_of: z.nullable(z.object({ video_id: z.string(), kind: z.string(), available: z.boolean() })),
    /** The owner's remix consent: others may glitch it / capture its frames. */
    allow_glitches: z.boolean(),
    allow_frame_capture: z.boolean(),
    /** Why a moderator took it down (its owner only; null otherwise). */
    removed_reason: z.nullable(z.string()),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .register(z.globalRegistry, { id: 'Video', examples: [VIDEO_EXAMPLE] });

export const VideoPage = z
  .object({ items: z.array(VideoView), next_cursor: z.nullable(z.string()) })
  .register(z.globalRegistry, {
    id: 'VideoPage',
    examples: [{ items: [VIDEO_EXAMPLE], next_cursor: EX.cursor }],
  });

/**
 * Turns rows into API views. A public video's URLs are string concatenations (media-url.ts); only
 * private media (and videos from before media revisions) are signed.
 */
export async function toVideoViews(
  rows: VideoViewRow[],
  viewerId: string | null,
): Promise<z.input<typeof VideoView>[]> {
  return Promise.all(
    rows.map(async (r) => {
      const removed = r.removed_at !== null;
      const urls = !removed && isPlayable(r) ? await playableUrls(r) : NO_URLS;
      return {
        id: r.id,
        owner: {
          id: r.owner_id,
          username: r.owner_username,
          display_name: r.owner_display_name,
          avatar_url: r.owner_avatar_key ? await mediaUrl(r.owner_avatar_key) : null,
        },
        caption: r.caption,
        visibility: r.visibility,
        status: removed ? ('removed' as const) : r.status,
        failure_reason: viewerId === r.owner_id ? r.failure_reason : null,
        origin: r.origin,
        // What `exclude_ai` hides (visibility.ts: origin): glitches and templates, which carry their model.
        ai_generated: r.origin !== 'upload',
        ai_model: r.ai_model,
        music: musicOf(r),
        duration_ms: r.duration_ms,
        width: r.width,
        height: r.height,
        like_count: r.like_count,
        comment_count: r.comment_count,
        glitch_count: r.glitch_count,
        liked_by_me: r.liked_by_me === null ? null : Boolean(r.liked_by_me),
        ...urls,
        glitch_of: r.glitch_source_id
          ? {
              video_id: r.glitch_source_id,
              kind: r.glitch_kind ?? 'animate',
              available: Boolean(r.glitch_source_available),
            }
          : null,
        allow_glitches: r.allow_glitches,
        allow_frame_capture: r.allow_frame_capture,
        removed_reason: removed && viewerId === r.owner_id ? r.removed_reason : null,
        created_at: r.created_at,
        updated_at: r.updated_at,
      };
    }),
  );
}

function musicOf(r: VideoViewRow): z.input<typeof VideoView>['music'] {
  if (!r.music_job_id || !r.music_model) return null;
  return {
    job_id: r.music_job_id,
    model: r.music_model,
    licence: r.music_licence ?? '',
    licence_url: r.music_licence_url ?? '',
  };
}

type MediaUrls = Pick<
  z.input<typeof VideoView>,
  'video_url' | 'thumbnail_url' | 'preview_url' | 'urls_expire_at'
>;
const NO_URLS: MediaUrls = { video_url: null, thumbnail_url: null, preview_url: null, urls_expire_at: null };

/**
 * Ready videos play; so does a held AI output for the only people who can see it (its owner, and
 * moderators), through signed URLs: its media are under private/, off the CDN, until it is released.
 */
function isPlayable(r: VideoViewRow): boolean {
  return (
    r.status === 'ready' ||
    (r.status === 'held' && r.playback_key !== null && isPrivateMediaKey(r.playback_key))
  );
}

async function playableUrls(r: VideoViewRow): Promise<MediaUrls> {
  // Videos processed before media revisions are served from their upload and thumbnail keys.
  const playback = r.playback_key ?? r.source_key;
  const poster = r.poster_key ?? r.thumbnail_key;
  const cdn = {
    video_url: publicMediaUrl(playback),
    thumbnail_url: poster ? publicMediaUrl(poster) : null,
    preview_url: r.preview_key ? publicMediaUrl(r.preview_key) : null,
  };
  if (cdn.video_url !== undefined && cdn.thumbnail_url !== undefined && cdn.preview_url !== undefined) {
    return {
      video_url: cdn.video_url,
      thumbnail_url: cdn.thumbnail_url,
      preview_url: cdn.preview_url,
      urls_expire_at: null,
    };
  }
  const [video_url, thumbnail_url, preview_url] = await Promise.all([
    mediaUrl(playback),
    poster ? mediaUrl(poster) : null,
    r.preview_key ? mediaUrl(r.preview_key) : null,
  ]);
  return { video_url, thumbnail_url, preview_url, urls_expire_at: signedUrlsExpireAt() };
}
