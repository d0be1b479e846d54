import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { routes } from '../routes.ts';
import { createComment } from './create-comment.ts';
import { deleteComment } from './delete-comment.ts';
import { listComments } from './list-comments.ts';
import { listReplies } from './list-replies.ts';
import { updateComment } from './update-comment.ts';

export const handler = createDomainHandler(routes, 'comments', {
  createComment,
  listComments,
  listReplies,
  updateComment,
  deleteComment,
});
