import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { unregisterDevice } from '../../shared/push/service.ts';
import type { Routes } from '../routes.ts';

export const unregisterPushDevice: RouteHandler<Routes['unregisterPushDevice']> = async ({
  params,
  user,
}) => {
  // Someone else's device is indistinguishable from a missing one.
  await unregisterDevice(getDb(), user.id, params.id);
  return undefined;
};
