import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { routes } from '../routes.ts';
import { listHashtagVideos } from './list-hashtag-videos.ts';
import { trendingHashtags } from './trending.ts';

export const handler = createDomainHandler(routes, 'hashtags', { trendingHashtags, listHashtagVideos });
