import * as z from 'zod/mini';
import { route } from '../../shared/http/route.ts';

/** The system domain's entries of the route table (merged in functions/routes.ts). */
export const systemRoutes = {
  health: route({
    method: 'GET',
    path: '/health',
    domain: 'system',
    auth: 'none',
    summary: 'Liveness and database reachability',
    description:
      'Answers 200 when this API and its database are reachable; 503 `database_unavailable` when the database is not. For load balancers and uptime checks.',
    tags: ['system'],
    response: z.object({ status: z.literal('ok'), database: z.literal('ok') }),
  }),
  openapi: route({
    method: 'GET',
    path: '/openapi.json',
    domain: 'system',
    auth: 'none',
    summary: 'This OpenAPI 3.1 document',
    description:
      'This document, generated from the same zod schemas the server validates with. Swagger UI shows it at `/docs`, ReDoc at `/redoc` (local dev server).',
    tags: ['system'],
    response: z.record(z.string(), z.unknown()).register(z.globalRegistry, {
      examples: [
        { openapi: '3.1.0', info: { title: 'LOKIZ API', version: '1.0.0' }, paths: {}, components: {} },
      ],
    }),
  }),
};
