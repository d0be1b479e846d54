import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { applySuspension } from '../../shared/moderation/service.ts';
import type { Routes } from '../routes.ts';

export const suspendUser: RouteHandler<Routes['suspendUser']> = ({ params, body, user }) =>
  applySuspension(getDb(), user, params.id, body.reason);
