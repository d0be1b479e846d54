import type { RouteDocs } from '../../shared/http/route.ts';
import type { commentsRoutes } from './routes.ts';

/** The OpenAPI text of the comments routes: read by the document generator, never bundled into a Lambda. */
export const commentsDocs = {
  createComment: {
    summary: 'Comment on a video, or reply to one of its top-level comments (`parent_id`)',
    description:
      "Comments on a video you can see, or replies to one of its top-level comments (`parent_id`; one level of replies). 1-500 characters, no control characters. The owner and the parent's author get notifications.",
  },
  listComments: {
    summary: "A video's top-level comments, newest first (keyset pagination)",
    description: "A video's top-level comments, newest first, each with its reply count.",
  },
  listReplies: {
    summary: 'Replies to a comment, oldest first (keyset pagination)',
    description: 'Replies to a top-level comment, oldest first (the order of a conversation).',
  },
  updateComment: {
    summary: 'Edit your comment (author only)',
    description: "Edits your own comment's text (`edited` becomes true).",
  },
  deleteComment: {
    summary: "Delete a comment and its replies (its author, or the video's owner)",
    description: 'Deletes a comment (yours, or any under your video) with its replies.',
  },
} satisfies RouteDocs<typeof commentsRoutes>;
