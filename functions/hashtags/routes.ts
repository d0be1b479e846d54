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
    summary: 'The most used hashtags among public videos of the last 24 h or 7 d',
    description: 'The hashtags on the most public ready videos in the last 24 hours or 7 days.',
    tags: ['hashtags'],
    query: TrendingQuery,
    response: TrendingHashtags,
  }),
  listHashtagVideos: route({
    method: 'GET',
    path: '/v1/hashtags/{tag}/videos',
    domain: 'hashtags',
    auth: 'optional',
    summary: 'Public videos with a hashtag, newest first (an unknown tag is an empty page)',
    description:
      'Public ready videos with a hashtag (given with or without `#`, any case), newest first. An unknown tag is an empty page.',
    tags: ['hashtags'],
    params: TagParams,
    query: z.extend(PageQuery, { exclude_ai: ExcludeAiQuery }),
    response: VideoPage,
  }),
};
