import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { searchRoutes } from './routes.ts';
import { search } from './search-all.ts';
import { searchUsers } from './search-users.ts';
import { searchVideos } from './search-videos.ts';

export const handler = createDomainHandler(searchRoutes, 'search', { search, searchUsers, searchVideos });
