import { findCommentView } from '../../shared/comments/repository.ts';
import { postComment } from '../../shared/comments/service.ts';
import { toCommentView } from '../../shared/comments/view.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const createComment: RouteHandler<Routes['createComment']> = async ({ params, body, user }) => {
  const row = await getDb()
    .transaction()
    .execute(async (trx) => {
      const id = await postComment(trx, {
        videoId: params.id,
        authorId: user.id,
        body: body.body,
        parentId: body.parent_id,
      });
      return findCommentView(trx, id, user.id);
    });
  return toCommentView(row!);
};
