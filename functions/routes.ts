import { authRoutes } from './auth/routes.ts';
import { systemRoutes } from './system/routes.ts';
import { videosRoutes } from './videos/routes.ts';

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
};

export type Routes = typeof routes;
export type RouteName = keyof Routes;
