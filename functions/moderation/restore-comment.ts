import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { liftCommentTakedown } from '../../shared/moderation/service.ts';
import type { Routes } from '../routes.ts';

export const restoreComment: RouteHandler<Routes['restoreComment']> = ({ params, body, user }) =>
  liftCommentTakedown(getDb(), user, params.id, body.reason);
