import { placeBlock } from '../../shared/blocks/service.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const blockUser: RouteHandler<Routes['blockUser']> = ({ params, user }) =>
  getDb()
    .transaction()
    .execute((trx) => placeBlock(trx, user.id, params.id));
