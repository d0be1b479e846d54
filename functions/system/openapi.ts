import { buildOpenApiDocument } from '../../shared/http/openapi.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { type Routes, routes } from '../routes.ts';

let doc: Record<string, unknown> | undefined;

export const openapi: RouteHandler<Routes['openapi']> = async () => {
  doc ??= buildOpenApiDocument(routes);
  return doc;
};
