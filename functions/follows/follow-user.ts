import { getDb } from '../../shared/db/client.ts';
import { isForeignKeyViolation } from '../../shared/db/errors.ts';
import { addFollow } from '../../shared/follows/service.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const followUser: RouteHandler<Routes['followUser']> = async ({ params, user }) => {
  try {
    return await getDb()
      .transaction()
      .execute((trx) => addFollow(trx, user.id, params.id));
  } catch (err) {
    // The account disappeared between the existence check and the insert.
    if (isForeignKeyViolation(err)) throw new NotFoundError('User');
    throw err;
  }
};
