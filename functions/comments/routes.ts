import { Comment, CommentPage } from '../../shared/comments/view.ts';
import { route } from '../../shared/http/route.ts';
import { IdParams, PageQuery } from '../../shared/http/schemas.ts';
import { CreateCommentBody, UpdateCommentBody } from './schemas.ts';

/** The comments domain's entries of the route table (merged in functions/routes.ts). */
export const commentsRoutes = {
  createComment: route({
    method: 'POST',
    path: '/v1/comments/videos/{id}',
    domain: 'comments',
    auth: 'required',
    summary: 'Comment on a video, or reply to one of its top-level comments (`parent_id`)',
    description:
      "Comments on a video you can see, or replies to one of its top-level comments (`parent_id`; one level of replies). 1-500 characters, no control characters. The owner and the parent's author get notifications.",
    errors: ['not_found', 'reply_depth_exceeded', 'reference_gone'],
    tags: ['comments'],
    params: IdParams,
    body: CreateCommentBody,
    response: Comment,
    status: 201,
  }),
  listComments: route({
    method: 'GET',
    path: '/v1/comments/videos/{id}',
    domain: 'comments',
    auth: 'optional',
    summary: "A video's top-level comments, newest first (keyset pagination)",
    description: "A video's top-level comments, newest first, each with its reply count.",
    errors: ['not_found'],
    tags: ['comments'],
    params: IdParams,
    query: PageQuery,
    response: CommentPage,
  }),
  listReplies: route({
    method: 'GET',
    path: '/v1/comments/{id}/replies',
    domain: 'comments',
    auth: 'optional',
    summary: 'Replies to a comment, oldest first (keyset pagination)',
    description: 'Replies to a top-level comment, oldest first (the order of a conversation).',
    errors: ['not_found'],
    tags: ['comments'],
    params: IdParams,
    query: PageQuery,
    response: CommentPage,
  }),
  updateComment: route({
    method: 'PATCH',
    path: '/v1/comments/{id}',
    domain: 'comments',
    auth: 'required',
    summary: 'Edit your comment (author only)',
    description: "Edits your own comment's text (`edited` becomes true).",
    errors: ['not_found'],
    tags: ['comments'],
    params: IdParams,
    body: UpdateCommentBody,
    response: Comment,
  }),
  deleteComment: route({
    method: 'DELETE',
    path: '/v1/comments/{id}',
    domain: 'comments',
    auth: 'required',
    summary: "Delete a comment and its replies (its author, or the video's owner)",
    description: 'Deletes a comment (yours, or any under your video) with its replies.',
    errors: ['not_found'],
    tags: ['comments'],
    params: IdParams,
  }),
};
