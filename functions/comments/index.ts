import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { createComment } from './create-comment.ts';
import { deleteComment } from './delete-comment.ts';
import { listComments } from './list-comments.ts';
import { listReplies } from './list-replies.ts';
import { commentsRoutes } from './routes.ts';
import { updateComment } from './update-comment.ts';

export const handler = createDomainHandler(commentsRoutes, 'comments', {
  createComment,
  listComments,
  listReplies,
  updateComment,
  deleteComment,
});
