import { route } from '../../shared/http/route.ts';
import { IdParams, PageQuery } from '../../shared/http/schemas.ts';
import { UserView } from '../../shared/users/view.ts';
import { VideoPage } from '../../shared/videos/view.ts';
import { UsernameParams } from './schemas.ts';

/** The users domain's entries of the route table (merged in functions/routes.ts). */
export const usersRoutes = {
  // Not under /v1/users/: `/v1/users/by-username/{username}` and `/v1/users/{id}/videos` both
  // matched `/v1/users/by-username/videos`, and API Gateway documents no precedence between them.
  // test/infra/route-overlap.test.ts keeps every pair of routes apart.
  getUserByUsername: route({
    method: 'GET',
    path: '/v1/usernames/{username}',
    domain: 'users',
    auth: 'optional',
    errors: ['not_found'],
    tags: ['users'],
    params: UsernameParams,
    response: UserView,
  }),
  getUser: route({
    method: 'GET',
    path: '/v1/users/{id}',
    domain: 'users',
    auth: 'optional',
    errors: ['not_found'],
    tags: ['users'],
    params: IdParams,
    response: UserView,
  }),
  listUserVideos: route({
    method: 'GET',
    path: '/v1/users/{id}/videos',
    domain: 'users',
    auth: 'optional',
    errors: ['not_found'],
    tags: ['users'],
    params: IdParams,
    query: PageQuery,
    response: VideoPage,
  }),
};
