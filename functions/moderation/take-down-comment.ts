import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { applyCommentTakedown } from '../../shared/moderation/service.ts';
import type { Routes } from '../routes.ts';

export const takeDownComment: RouteHandler<Routes['takeDownComment']> = ({ params, body, user }) =>
  applyCommentTakedown(getDb(), user, params.id, body.reason);
