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
    tags: ['videos'],
    params: IdParams,
    response: VideoView,
  }),
  updateVideo: route({
    method: 'PATCH',
    path: '/v1/videos/{id}',
    domain: 'videos',
    auth: 'required',
    summary: 'Change caption or visibility (owner only)',
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
    tags: ['videos'],
    params: IdParams,
  }),
};
