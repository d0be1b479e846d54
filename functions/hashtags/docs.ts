import type { RouteDocs } from '../../shared/http/route.ts';
import type { hashtagsRoutes } from './routes.ts';

/** The OpenAPI text of the hashtags routes: read by the document generator, never bundled into a Lambda. */
export const hashtagsDocs = {
  trendingHashtags: {
    summary: 'The most used hashtags among public videos of the last 24 h or 7 d',
    description: 'The hashtags on the most public ready videos in the last 24 hours or 7 days.',
  },
  listHashtagVideos: {
    summary: 'Public videos with a hashtag, newest first (an unknown tag is an empty page)',
    description:
      'Public ready videos with a hashtag (given with or without `#`, any case), newest first. An unknown tag is an empty page.',
  },
} satisfies RouteDocs<typeof hashtagsRoutes>;
