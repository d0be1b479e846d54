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
    summary: 'People, videos and hashtags matching q (2–100 characters), a few of each',
    description:
      'A few people, videos and hashtags matching `q` (2-100 characters, any script, case-insensitive substring).',
    tags: ['search'],
    query: CombinedSearchQuery,
    response: SearchResults,
  }),
  searchUsers: route({
    method: 'GET',
    path: '/v1/search/users',
    domain: 'search',
    auth: 'optional',
    summary: 'People whose username or display name contains q (case-insensitive, any script)',
    description:
      'People whose username or display name contains `q`, exact matches first, then by followers.',
    tags: ['search'],
    query: SearchQuery,
    response: UserPage,
  }),
  searchVideos: route({
    method: 'GET',
    path: '/v1/search/videos',
    domain: 'search',
    auth: 'optional',
    summary: 'Public videos whose caption contains q, newest first (case-insensitive, any script)',
    description:
      'Public ready videos whose caption contains `q`, newest first. `exclude_ai=true` hides AI-made videos (absent: your "hide AI content" setting).',
    tags: ['search'],
    query: VideoSearchQuery,
    response: VideoPage,
  }),
};
