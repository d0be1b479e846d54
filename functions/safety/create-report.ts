import { getDb } from '../../shared/db/client.ts';
import { Reply, type RouteHandler } from '../../shared/http/route.ts';
import { fileReport } from '../../shared/reports/service.ts';
import type { Routes } from '../routes.ts';

export const createReport: RouteHandler<Routes['createReport']> = async ({ body, user }) => {
  const { report, created } = await getDb()
    .transaction()
    .execute((trx) => fileReport(trx, user.id, body));
  return created ? report : new Reply(200, report);
};
