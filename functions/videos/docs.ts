import type { RouteDocs } from '../../shared/http/route.ts';
import type { videosRoutes } from './routes.ts';

/** The OpenAPI text of the videos routes: read by the document generator, never bundled into a Lambda. */
export const videosDocs = {
  createUploadUrl: {
    summary: 'Start an upload: a video row in `uploading` and a presigned PUT URL (15 min)',
    description:
      "Step 1 of an upload: creates the video (status `uploading`) and a presigned PUT URL valid 15 minutes. PUT the file there with exactly the returned headers; the upload's S3 event then checks, probes and thumbnails it, and the video becomes `ready` (or `failed`, with `failure_reason` for its owner). MP4, MOV or WebM, up to 200 MB; at most 20 unfinished uploads (started in the last hour) at once.",
  },
  listVideos: {
    summary: 'The feed: newest public ready videos (keyset pagination; ?user_id, ?feed=following)',
    description:
      'The feed: public ready videos, newest first. `user_id` narrows it to one person; `feed=following` to the people you follow (needs a token). Media URLs are short-lived (see `urls_expire_at`).',
  },
  listVideosSeedPath: {
    summary: "The feed at the seed's path (with a trailing slash): the same as GET /v1/videos",
    description:
      "The seed API's path for the feed, kept so old clients work: the same query, the same answers as `GET /v1/videos`.",
  },
  getVideo: {
    summary: 'One video (public+ready for anyone; owners see their own in any state)',
    description:
      'One video. Anyone sees public ready videos; owners also see their own private or unfinished ones (with `failure_reason` when processing failed). Everything else is 404.',
  },
  updateVideo: {
    summary: 'Change caption, visibility or remix consent (owner only)',
    description:
      "Changes the caption (hashtags are re-read from it), the visibility or the remix consent of your own video: `allow_glitches` (may others glitch it) and `allow_frame_capture` (may others capture its frames for templates); new uploads start with your defaults from /v1/safety/settings. Other fields are the server's and are refused.",
  },
  deleteVideo: {
    summary: 'Delete a video (owner only); glitches made from it stay and show their source is gone',
    description:
      'Deletes your video: it disappears at once and its media are removed. Glitches made from it stay, and show `glitch_of.available: false`.',
  },
} satisfies RouteDocs<typeof videosRoutes>;
