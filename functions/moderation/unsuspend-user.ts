import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { liftSuspension } from '../../shared/moderation/service.ts';
import type { Routes } from '../routes.ts';

export const unsuspendUser: RouteHandler<Routes['unsuspendUser']> = ({ params, body, user }) =>
  liftSuspension(getDb(), user, params.id, body.reason);
