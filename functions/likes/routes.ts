import { route } from '../../shared/http/route.ts';
import { IdParams } from '../../shared/http/schemas.ts';
import { LikeState } from './schemas.ts';

/** The likes domain's entries of the route table (merged in functions/routes.ts). */
export const likesRoutes = {
  likeVideo: route({
    method: 'POST',
    path: '/v1/likes/videos/{id}',
    domain: 'likes',
    auth: 'required',
    summary: 'Like a video (idempotent: liking twice changes nothing)',
    tags: ['likes'],
    params: IdParams,
    response: LikeState,
  }),
  unlikeVideo: route({
    method: 'DELETE',
    path: '/v1/likes/videos/{id}',
    domain: 'likes',
    auth: 'required',
    summary: 'Take a like back (idempotent: unliking a video you never liked changes nothing)',
    tags: ['likes'],
    params: IdParams,
    response: LikeState,
  }),
  checkLike: route({
    method: 'GET',
    path: '/v1/likes/videos/{id}/check',
    domain: 'likes',
    auth: 'optional',
    summary: 'Whether the caller likes a video (null logged out), with its like count',
    tags: ['likes'],
    params: IdParams,
    response: LikeState,
  }),
};
