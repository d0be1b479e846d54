import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { toSoundtrackView } from '../../shared/studio/soundtrack-view.ts';
import type { Routes } from '../routes.ts';

// The studio's ffmpeg work (probing, cutting, strips, previews) is a lazy chunk beside the bundle,
// loaded by the first request that needs it: the other routes' cold starts don't pay for it.
let soundtracks: Promise<typeof import('../../shared/studio/request-soundtrack.ts')> | undefined;

export const addMusicToVideo: RouteHandler<Routes['addMusicToVideo']> = async ({ params, body, user }) => {
  soundtracks ??= import('../../shared/studio/request-soundtrack.ts');
  const { requestSoundtrack } = await soundtracks;
  const row = await requestSoundtrack(getDb(), user.id, params.id, body);
  return toSoundtrackView(row);
};
