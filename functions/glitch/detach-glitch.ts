import { getDb } from '../../shared/db/client.ts';
import { detachGlitchFromSource } from '../../shared/glitch/detach.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const detachGlitch: RouteHandler<Routes['detachGlitch']> = async ({ params, user }) => {
  await getDb()
    .transaction()
    .execute((trx) => detachGlitchFromSource(trx, user.id, params.id, params.glitch_id));
  return undefined;
};
