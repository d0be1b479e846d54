import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { dismissOneReport } from '../../shared/moderation/service.ts';
import type { Routes } from '../routes.ts';

export const dismissReport: RouteHandler<Routes['dismissReport']> = ({ params, body, user }) =>
  dismissOneReport(getDb(), user, params.id, body.reason);
