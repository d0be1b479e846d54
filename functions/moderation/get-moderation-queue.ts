import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { moderationQueuePage } from '../../shared/moderation/queue.ts';
import { requireModeratorToRead } from '../../shared/moderation/service.ts';
import type { Routes } from '../routes.ts';

export const getModerationQueue: RouteHandler<Routes['getModerationQueue']> = async ({ query, user }) => {
  requireModeratorToRead(user);
  return moderationQueuePage(getDb(), query);
};
