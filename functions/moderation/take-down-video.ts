import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { applyVideoTakedown } from '../../shared/moderation/service.ts';
import type { Routes } from '../routes.ts';

export const takeDownVideo: RouteHandler<Routes['takeDownVideo']> = ({ params, body, user }) =>
  applyVideoTakedown(getDb(), user, params.id, body);
