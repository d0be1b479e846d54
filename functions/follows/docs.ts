import type { RouteDocs } from '../../shared/http/route.ts';
import type { followsRoutes } from './routes.ts';

/** The OpenAPI text of the follows routes: read by the document generator, never bundled into a Lambda. */
export const followsDocs = {
  followUser: {
    summary: 'Follow someone (idempotent; following yourself is 400)',
    description: 'Follows someone. Following twice is fine; they get a notification.',
  },
  unfollowUser: {
    summary: 'Stop following someone (idempotent)',
    description: 'Unfollows someone (a no-op when you did not follow them).',
  },
  listFollowers: {
    summary: 'Who follows this person, newest first, with whether the caller follows each',
    description: 'The people who follow someone, most recent first.',
  },
  listFollowing: {
    summary: 'Whom this person follows, newest first, with whether the caller follows each',
    description: 'The people someone follows, most recent first.',
  },
  checkFollow: {
    summary: 'Whether the caller follows this person and whether they follow back',
    description: 'Whether you follow someone and whether they follow you.',
  },
} satisfies RouteDocs<typeof followsRoutes>;
