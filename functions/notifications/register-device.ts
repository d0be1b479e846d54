import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { registerDevice } from '../../shared/push/service.ts';
import type { Routes } from '../routes.ts';

export const registerPushDevice: RouteHandler<Routes['registerPushDevice']> = async ({ body, user }) =>
  registerDevice(getDb(), { id: user.id, sessionId: user.sessionId ?? null }, body.platform, body.token);
