import { liftBlock } from '../../shared/blocks/service.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const unblockUser: RouteHandler<Routes['unblockUser']> = ({ params, user }) =>
  getDb()
    .transaction()
    .execute((trx) => liftBlock(trx, user.id, params.id));
