import type { RouteDocs } from '../../shared/http/route.ts';
import type { searchRoutes } from './routes.ts';

/** The OpenAPI text of the search routes: read by the document generator, never bundled into a Lambda. */
export const searchDocs = {
  search: {
    summary: 'People, videos and hashtags matching q (2–100 characters), a few of each',
    description:
      'A few people, videos and hashtags matching `q` (2-100 characters, any script, case-insensitive substring).',
  },
  searchUsers: {
    summary: 'People whose username or display name contains q (case-insensitive, any script)',
    description:
      'People whose username or display name contains `q`, exact matches first, then by followers.',
  },
  searchVideos: {
    summary: 'Public videos whose caption contains q, newest first (case-insensitive, any script)',
    description:
      'Public ready videos whose caption contains `q`, newest first. `exclude_ai=true` hides AI-made videos (absent: your "hide AI content" setting).',
  },
} satisfies RouteDocs<typeof searchRoutes>;
