import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { replicateWebhook } from './replicate-webhook.ts';
import { webhooksRoutes } from './routes.ts';

export const handler = createDomainHandler(webhooksRoutes, 'webhooks', { replicateWebhook });
