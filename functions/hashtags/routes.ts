import * as z from 'zod/mini';
import { route } from '../../shared/http/route.ts';
import { ExcludeAiQuery, PageQuery } from '../../shared/http/schemas.ts';
import { VideoPage } from '../../shared/videos/view.ts';
import { TagParams, TrendingHashtags, TrendingQuery } from './schemas.ts';

/** The hashtags domain's entries of the route table (merged in functions/routes.ts). */
export const hashtagsRoutes = {
  trendingHashtags: route({
    method: 'GET',
    path: '/v1/hashtags/trending',
    domain: 'hashtags',
    auth: 'none',
    tags: ['hashtags'],
    query: TrendingQuery,
    response: TrendingHashtags,
  }),
  listHashtagVideos: route({
    method: 'GET',
    path: '/v1/hashtags/{tag}/videos',
    domain: 'hashtags',
    auth: 'optional',
    tags: ['hashtags'],
    params: TagParams,
    query: z.extend(PageQuery, { exclude_ai: ExcludeAiQuery }),
    response: VideoPage,
  }),
};
