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
    errors: ['not_found', 'reply_depth_exceeded', 'reference_gone', 'account_suspended'],
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
    errors: ['not_found'],
    tags: ['comments'],
    params: IdParams,
  }),
};
