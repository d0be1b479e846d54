import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { publishHeldVideo } from '../../shared/moderation/service.ts';
import type { Routes } from '../routes.ts';

export const releaseHeldVideo: RouteHandler<Routes['releaseHeldVideo']> = ({ params, body, user }) =>
  publishHeldVideo(getDb(), user, params.id, body.reason);
