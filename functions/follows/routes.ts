import { route } from '../../shared/http/route.ts';
import { IdParams, PageQuery } from '../../shared/http/schemas.ts';
import { UserPage } from '../../shared/users/view.ts';
import { FollowCheck, FollowState } from './schemas.ts';

/** The follows domain's entries of the route table (merged in functions/routes.ts). */
export const followsRoutes = {
  followUser: route({
    method: 'POST',
    path: '/v1/follows/users/{id}',
    domain: 'follows',
    auth: 'required',
    errors: ['not_found', 'cannot_follow_self', 'account_suspended'],
    tags: ['follows'],
    params: IdParams,
    response: FollowState,
  }),
  unfollowUser: route({
    method: 'DELETE',
    path: '/v1/follows/users/{id}',
    domain: 'follows',
    auth: 'required',
    errors: ['not_found', 'cannot_follow_self', 'account_suspended'],
    tags: ['follows'],
    params: IdParams,
    response: FollowState,
  }),
  listFollowers: route({
    method: 'GET',
    path: '/v1/follows/users/{id}/followers',
    domain: 'follows',
    auth: 'optional',
    errors: ['not_found'],
    tags: ['follows'],
    params: IdParams,
    query: PageQuery,
    response: UserPage,
  }),
  listFollowing: route({
    method: 'GET',
    path: '/v1/follows/users/{id}/following',
    domain: 'follows',
    auth: 'optional',
    errors: ['not_found'],
    tags: ['follows'],
    params: IdParams,
    query: PageQuery,
    response: UserPage,
  }),
  checkFollow: route({
    method: 'GET',
    path: '/v1/follows/users/{id}/check',
    domain: 'follows',
    auth: 'optional',
    errors: ['not_found'],
    tags: ['follows'],
    params: IdParams,
    response: FollowCheck,
  }),
};
