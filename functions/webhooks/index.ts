import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { routes } from '../routes.ts';
import { replicateWebhook } from './replicate-webhook.ts';

export const handler = createDomainHandler(routes, 'webhooks', { replicateWebhook });
