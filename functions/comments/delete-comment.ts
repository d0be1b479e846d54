import { removeComment } from '../../shared/comments/service.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const deleteComment: RouteHandler<Routes['deleteComment']> = async ({ params, user }) => {
  await getDb()
    .transaction()
    .execute((trx) => removeComment(trx, { commentId: params.id, userId: user.id }));
  return undefined;
};
