import { route } from '../../shared/http/route.ts';
import { UserPage } from '../../shared/users/view.ts';
import { VideoPage } from '../../shared/videos/view.ts';
import { CombinedSearchQuery, SearchQuery, SearchResults, VideoSearchQuery } from './schemas.ts';

/** The search domain's entries of the route table (merged in functions/routes.ts). */
export const searchRoutes = {
  search: route({
    method: 'GET',
    path: '/v1/search',
    domain: 'search',
    auth: 'optional',
    tags: ['search'],
    query: CombinedSearchQuery,
    response: SearchResults,
  }),
  searchUsers: route({
    method: 'GET',
    path: '/v1/search/users',
    domain: 'search',
    auth: 'optional',
    tags: ['search'],
    query: SearchQuery,
    response: UserPage,
  }),
  searchVideos: route({
    method: 'GET',
    path: '/v1/search/videos',
    domain: 'search',
    auth: 'optional',
    tags: ['search'],
    query: VideoSearchQuery,
    response: VideoPage,
  }),
};
