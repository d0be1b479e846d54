import type { RouteDocs } from '../../shared/http/route.ts';
import type { systemRoutes } from './routes.ts';

/** The OpenAPI text of the system routes: read by the document generator, never bundled into a Lambda. */
export const systemDocs = {
  health: {
    summary: 'Liveness and database reachability',
    description:
      'Answers 200 when this API and its database are reachable; 503 `database_unavailable` when the database is not. For load balancers and uptime checks.',
  },
  openapi: {
    summary: 'This OpenAPI 3.1 document',
    description:
      'This document, generated from the same zod schemas the server validates with. Swagger UI shows it at `/docs`, ReDoc at `/redoc` (local dev server).',
  },
} satisfies RouteDocs<typeof systemRoutes>;
