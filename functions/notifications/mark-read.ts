import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { markRead } from '../../shared/notifications/repository.ts';
import type { Routes } from '../routes.ts';

export const markNotificationRead: RouteHandler<Routes['markNotificationRead']> = async ({
  params,
  user,
}) => {
  // Someone else's notification is indistinguishable from a missing one.
  if (!(await markRead(getDb(), params.id, user.id))) throw new NotFoundError('Notification');
  return undefined;
};
