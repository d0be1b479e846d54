import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { listHashtagVideos } from './list-hashtag-videos.ts';
import { hashtagsRoutes } from './routes.ts';
import { trendingHashtags } from './trending.ts';

export const handler = createDomainHandler(hashtagsRoutes, 'hashtags', {
  trendingHashtags,
  listHashtagVideos,
});
