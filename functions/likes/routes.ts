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
    description:
      'Likes a video you can see. Liking twice is fine (still one like); the owner gets a notification.',
    errors: ['not_found', 'reference_gone'],
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
    description: 'Takes your like back (a no-op when there was none) and the unread notification it made.',
    errors: ['not_found'],
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
    description: 'Whether you like the video, and its like count.',
    errors: ['not_found'],
    tags: ['likes'],
    params: IdParams,
    response: LikeState,
  }),
};
