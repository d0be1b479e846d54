import { findCommentView } from '../../shared/comments/repository.ts';
import { editComment } from '../../shared/comments/service.ts';
import { toCommentView } from '../../shared/comments/view.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const updateComment: RouteHandler<Routes['updateComment']> = async ({ params, body, user }) => {
  const row = await getDb()
    .transaction()
    .execute(async (trx) => {
      await editComment(trx, { commentId: params.id, userId: user.id, body: body.body });
      return findCommentView(trx, params.id, user.id);
    });
  return toCommentView(row!);
};
