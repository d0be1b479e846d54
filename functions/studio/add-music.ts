import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { requestSoundtrack } from '../../shared/studio/request-soundtrack.ts';
import { toSoundtrackView } from '../../shared/studio/soundtrack-view.ts';
import type { Routes } from '../routes.ts';

export const addMusicToVideo: RouteHandler<Routes['addMusicToVideo']> = async ({ params, body, user }) => {
  const row = await requestSoundtrack(getDb(), user.id, params.id, body);
  return toSoundtrackView(row);
};
