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
    errors: ['not_found', 'reference_gone', 'account_suspended'],
    tags: ['likes'],
    params: IdParams,
    response: LikeState,
  }),
  unlikeVideo: route({
    method: 'DELETE',
    path: '/v1/likes/videos/{id}',
    domain: 'likes',
    auth: 'required',
    errors: ['not_found', 'account_suspended'],
    tags: ['likes'],
    params: IdParams,
    response: LikeState,
  }),
  checkLike: route({
    method: 'GET',
    path: '/v1/likes/videos/{id}/check',
    domain: 'likes',
    auth: 'optional',
    errors: ['not_found'],
    tags: ['likes'],
    params: IdParams,
    response: LikeState,
  }),
};
