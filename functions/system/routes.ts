import * as z from 'zod';
import { route } from '../../shared/http/route.ts';

/** The system domain's entries of the route table (merged in functions/routes.ts). */
export const systemRoutes = {
  health: route({
    method: 'GET',
    path: '/health',
    domain: 'system',
    auth: 'none',
    summary: 'Liveness and database reachability',
    tags: ['system'],
    response: z.object({ status: z.literal('ok'), database: z.literal('ok') }),
  }),
  openapi: route({
    method: 'GET',
    path: '/openapi.json',
    domain: 'system',
    auth: 'none',
    summary: 'This OpenAPI 3.1 document',
    tags: ['system'],
    response: z.record(z.string(), z.unknown()),
  }),
};
