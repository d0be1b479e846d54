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
    errors: ['not_found'],
    tags: ['videos'],
    params: IdParams,
  }),
};
