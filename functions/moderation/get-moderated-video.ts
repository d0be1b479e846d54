import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { moderatedVideo } from '../../shared/moderation/queue.ts';
import { requireModeratorToRead } from '../../shared/moderation/service.ts';
import type { Routes } from '../routes.ts';

export const getModeratedVideo: RouteHandler<Routes['getModeratedVideo']> = async ({ params, user }) => {
  requireModeratorToRead(user);
  return moderatedVideo(getDb(), params.id);
};
