import { route } from '../../shared/http/route.ts';
import { IdParams } from '../../shared/http/schemas.ts';
import { VideoPage, VideoView } from '../../shared/videos/view.ts';
import { CreateUploadUrlBody, FeedQuery, UpdateVideoBody, UploadUrlResponse } from './schemas.ts';

/** The videos domain's entries of the route table (merged in functions/routes.ts). */
export const videosRoutes = {
  createUploadUrl: route({
    method: 'POST',
    path: '/v1/videos/upload-url',
    domain: 'videos',
    auth: 'required',
    summary: 'Start an upload: a video row in `uploading` and a presigned PUT URL (15 min)',
    description:
      "Step 1 of an upload: creates the video (status `uploading`) and a presigned PUT URL valid 15 minutes. PUT the file there with exactly the returned headers; the upload's S3 event then checks, probes and thumbnails it, and the video becomes `ready` (or `failed`, with `failure_reason` for its owner). MP4, MOV or WebM, up to 200 MB; at most 20 unfinished uploads (started in the last hour) at once.",
    errors: ['too_many_requests'],
    tags: ['videos'],
    body: CreateUploadUrlBody,
    response: UploadUrlResponse,
    status: 201,
  }),
  listVideos: route({
    method: 'GET',
    path: '/v1/videos',
    domain: 'videos',
    auth: 'optional',
    summary: 'The feed: newest public ready videos (keyset pagination; ?user_id, ?feed=following)',
    description:
      'The feed: public ready videos, newest first. `user_id` narrows it to one person; `feed=following` to the people you follow (needs a token). Media URLs are short-lived (see `urls_expire_at`).',
    errors: ['unauthorized'],
    tags: ['videos'],
    query: FeedQuery,
    response: VideoPage,
  }),
  /**
   * The seed documented the feed with a trailing slash. API Gateway matches `/v1/videos/` as a
   * route of its own (no redirect, no normalisation), so it is declared: same handler, same answers.
   */
  listVideosSeedPath: route({
    method: 'GET',
    path: '/v1/videos/',
    domain: 'videos',
    auth: 'optional',
    summary: "The feed at the seed's path (with a trailing slash): the same as GET /v1/videos",
    description:
      "The seed API's path for the feed, kept so old clients work: the same query, the same answers as `GET /v1/videos`.",
    errors: ['unauthorized'],
    tags: ['videos'],
    deprecated: true,
    query: FeedQuery,
    response: VideoPage,
  }),
  getVideo: route({
    method: 'GET',
    path: '/v1/videos/{id}',
    domain: 'videos',
    auth: 'optional',
    summary: 'One video (public+ready for anyone; owners see their own in any state)',
    description:
      'One video. Anyone sees public ready videos; owners also see their own private or unfinished ones (with `failure_reason` when processing failed). Everything else is 404.',
    errors: ['not_found'],
    tags: ['videos'],
    params: IdParams,
    response: VideoView,
  }),
  updateVideo: route({
    method: 'PATCH',
    path: '/v1/videos/{id}',
    domain: 'videos',
    auth: 'required',
    summary: 'Change caption, visibility or remix consent (owner only)',
    description:
      "Changes the caption (hashtags are re-read from it), the visibility or the remix consent of your own video: `allow_glitches` (may others glitch it) and `allow_frame_capture` (may others capture its frames for templates); new uploads start with your defaults from /v1/safety/settings. Other fields are the server's and are refused.",
    errors: ['not_found'],
    tags: ['videos'],
    params: IdParams,
    body: UpdateVideoBody,
    response: VideoView,
  }),
  deleteVideo: route({
    method: 'DELETE',
    path: '/v1/videos/{id}',
    domain: 'videos',
    auth: 'required',
    summary: 'Delete a video (owner only); glitches made from it stay and show their source is gone',
    description:
      'Deletes your video: it disappears at once and its media are removed. Glitches made from it stay, and show `glitch_of.available: false`.',
    errors: ['not_found'],
    tags: ['videos'],
    params: IdParams,
  }),
};
