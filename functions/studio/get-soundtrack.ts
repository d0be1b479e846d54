import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { findOwnSoundtrack } from '../../shared/studio/repository.ts';
import { toSoundtrackView } from '../../shared/studio/soundtrack-view.ts';
import type { Routes } from '../routes.ts';

export const getSoundtrack: RouteHandler<Routes['getSoundtrack']> = async ({ params, user }) => {
  const row = await findOwnSoundtrack(getDb(), params.id, user.id);
  if (!row) throw new NotFoundError('Soundtrack');
  return toSoundtrackView(row);
};
