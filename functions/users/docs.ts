import type { RouteDocs } from '../../shared/http/route.ts';
import type { usersRoutes } from './routes.ts';

/** The OpenAPI text of the users routes: read by the document generator, never bundled into a Lambda. */
export const usersDocs = {
  getUserByUsername: {
    summary: 'A public profile by username (case-insensitive), with counts',
    description: 'A profile by username (case-insensitive).',
  },
  getUser: {
    summary: 'A public profile with follower, following and video counts',
    description: 'A profile by id, with whether you follow them when signed in.',
  },
  listUserVideos: {
    summary: "A person's public ready videos, newest first (keyset pagination)",
    description: "A person's public ready videos, newest first.",
  },
} satisfies RouteDocs<typeof usersRoutes>;
