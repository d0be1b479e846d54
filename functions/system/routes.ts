import * as z from 'zod/mini';
import { route } from '../../shared/http/route.ts';

/** The system domain's entries of the route table (merged in functions/routes.ts). */
export const systemRoutes = {
  health: route({
    method: 'GET',
    path: '/health',
    domain: 'system',
    auth: 'none',
    tags: ['system'],
    response: z.object({ status: z.literal('ok'), database: z.literal('ok') }),
  }),
  openapi: route({
    method: 'GET',
    path: '/openapi.json',
    domain: 'system',
    auth: 'none',
    tags: ['system'],
    response: z.record(z.string(), z.unknown()).register(z.globalRegistry, {
      examples: [
        { openapi: '3.1.0', info: { title: 'LOKIZ API', version: '1.0.0' }, paths: {}, components: {} },
      ],
    }),
  }),
};
