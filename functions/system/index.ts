import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { routes } from '../routes.ts';
import { health } from './health.ts';
import { openapi } from './openapi.ts';

export const handler = createDomainHandler(routes, 'system', { health, openapi });
