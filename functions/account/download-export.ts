import { exportDownloadUrl } from '../../shared/accounts/export-request.ts';
import { getDb } from '../../shared/db/client.ts';
import { Reply, type RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

/** The link in the "export ready" mail: a 302 to a short-lived URL of the zip. */
export const downloadExport: RouteHandler<Routes['downloadExport']> = async ({ params, query }) => {
  const url = await exportDownloadUrl(getDb(), params.id, query.token);
  return new Reply(302, undefined, { location: url });
};
