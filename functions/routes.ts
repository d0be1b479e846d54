import { accountRoutes } from './account/routes.ts';
import { aiRoutes } from './ai/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { commentsRoutes } from './comments/routes.ts';
import { followsRoutes } from './follows/routes.ts';
import { glitchRoutes } from './glitch/routes.ts';
import { hashtagsRoutes } from './hashtags/routes.ts';
import { likesRoutes } from './likes/routes.ts';
import { moderationRoutes } from './moderation/routes.ts';
import { notificationsRoutes } from './notifications/routes.ts';
import { safetyRoutes } from './safety/routes.ts';
import { searchRoutes } from './search/routes.ts';
import { studioRoutes } from './studio/routes.ts';
import { systemRoutes } from './system/routes.ts';
import { usersRoutes } from './users/routes.ts';
import { videosRoutes } from './videos/routes.ts';
import { webhooksRoutes } from './webhooks/routes.ts';

/**
 * THE route table: the single source of truth for the API Gateway routes (infra/api.ts),
 * the local gateway (shared/local/gateway.ts) and the OpenAPI document (shared/http/openapi.ts).
 * Each domain declares its entries in functions/<domain>/routes.ts; adding a route is one
 * entry there plus its handler (the type checker insists every route of a domain has one).
 */
export const routes = {
  ...systemRoutes,
  ...authRoutes,
  ...videosRoutes,
  ...usersRoutes,
  ...likesRoutes,
  ...commentsRoutes,
  ...followsRoutes,
  ...notificationsRoutes,
  ...searchRoutes,
  ...hashtagsRoutes,
  ...aiRoutes,
  ...webhooksRoutes,
  ...glitchRoutes,
  ...studioRoutes,
  ...accountRoutes,
  ...safetyRoutes,
  ...moderationRoutes,
};

export type Routes = typeof routes;
export type RouteName = keyof Routes;
