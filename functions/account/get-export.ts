import { toExportView } from '../../shared/accounts/export-view.ts';
import { findOwnExport } from '../../shared/accounts/repository.ts';
import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const getExport: RouteHandler<Routes['getExport']> = async ({ params, user }) => {
  const row = await findOwnExport(getDb(), params.id, user.id);
  if (!row) throw new NotFoundError('Export');
  return toExportView(row);
};
