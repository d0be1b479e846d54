import { requestExport } from '../../shared/accounts/export-request.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const createExport: RouteHandler<Routes['createExport']> = ({ user }) =>
  requestExport(getDb(), user.id);
