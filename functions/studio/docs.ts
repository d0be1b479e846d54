import type { RouteDocs } from '../../shared/http/route.ts';
import type { studioRoutes } from './routes.ts';

/** The OpenAPI text of the studio routes: read by the document generator, never bundled into a Lambda. */
export const studioDocs = {
  getStudioTimeline: {
    summary: 'A strip of ?count (4..20, default 10) evenly spaced thumbnails for scrubbing',
    description:
      'Evenly spaced frames of a ready video you can see, for a scrubbing strip (`count` 4-20; made once, then cached).',
  },
  getStudioPreview: {
    summary:
      'A ≤ 10 s, 360 px proxy clip of exactly ?start_ms..end_ms (default the first 10 s), made once per range and revision',
    description:
      "Cuts exactly the range from the video's playback rendition into a small fast-start mp4 (≤ 360 px wide, " +
      'with sound) and returns a signed URL to it. Made once per (video, revision, range): later requests, and ' +
      'requests made while it is being cut, get the same clip. Without `end_ms`: 10 s from `start_ms` (default 0).',
  },
  selectStudioRange: {
    summary: 'Cut a range (at most 10 s) of the video into a clip to glitch; returns the selection',
    description:
      'Cuts a ≤10 s range of a ready video you can see into a clip for glitches (free). Use `selection_id` in `POST /v1/ai/glitch/*`.',
  },
  getStudioSelection: {
    summary: 'One of your selections (while its video is still visible to you)',
    description: 'One of your selections, with a fresh URL of its clip.',
  },
  addMusicToVideo: {
    summary: 'Put your AI music (≤ 60 s of it) on your video, replacing or under its sound; no credits',
    description:
      'Puts a finished music job of yours (POST /v1/ai/music), or a ≤ 60 s segment of it, on one of your ready ' +
      'videos from `offset_ms`: `replace` its sound or `mix` under it, a volume (0..2) for each. Free: the music ' +
      'was paid for. Answers 202 with the request; poll GET /v1/studio/soundtracks/{id}. The video keeps playing ' +
      'its current revision until the new one (rendition, poster, preview) is ready, then switches at once and ' +
      'shows the music and its licence. Retrying (the same `idempotency_key`, or the same parameters) returns ' +
      'the same request and makes no second revision.',
  },
  getSoundtrack: {
    summary:
      'One of your music-on-video requests: queued, processing, ready (with the revision it made) or failed',
    description:
      'A request made by POST /v1/studio/videos/{id}/music: `ready` once the video plays the revision ' +
      '`media_rev` with the music, `failed` with `error` saying why (the video keeps what it had).',
  },
} satisfies RouteDocs<typeof studioRoutes>;
