import type { RouteDocs } from '../../shared/http/route.ts';
import type { likesRoutes } from './routes.ts';

/** The OpenAPI text of the likes routes: read by the document generator, never bundled into a Lambda. */
export const likesDocs = {
  likeVideo: {
    summary: 'Like a video (idempotent: liking twice changes nothing)',
    description:
      'Likes a video you can see. Liking twice is fine (still one like); the owner gets a notification.',
  },
  unlikeVideo: {
    summary: 'Take a like back (idempotent: unliking a video you never liked changes nothing)',
    description: 'Takes your like back (a no-op when there was none) and the unread notification it made.',
  },
  checkLike: {
    summary: 'Whether the caller likes a video (null logged out), with its like count',
    description: 'Whether you like the video, and its like count.',
  },
} satisfies RouteDocs<typeof likesRoutes>;
