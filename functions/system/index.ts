import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { health } from './health.ts';
import { openapi } from './openapi.ts';
import { systemRoutes } from './routes.ts';

export const handler = createDomainHandler(systemRoutes, 'system', { health, openapi });
