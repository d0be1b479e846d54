import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { liftVideoTakedown } from '../../shared/moderation/service.ts';
import type { Routes } from '../routes.ts';

export const restoreVideo: RouteHandler<Routes['restoreVideo']> = ({ params, body, user }) =>
  liftVideoTakedown(getDb(), user, params.id, body.reason);
