import { readFile } from 'node:fs/promises';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

/**
 * The OpenAPI document, generated from the route table by `npm run openapi` and shipped next to
 * the bundle (infra/bundling.ts BUNDLE_FILES): building it here would put every domain's schemas
 * in this function's bundle and init. The test suite fails when the file is stale.
 */
export const OPENAPI_DOCUMENT_FILE = new URL('./openapi.json', import.meta.url);

let doc: Promise<Record<string, unknown>> | undefined;

export const openapi: RouteHandler<Routes['openapi']> = async () => {
  doc ??= readFile(OPENAPI_DOCUMENT_FILE, 'utf8').then(
    (text) => JSON.parse(text) as Record<string, unknown>,
    (err: unknown) => {
      doc = undefined;
      throw err;
    },
  );
  return doc;
};
