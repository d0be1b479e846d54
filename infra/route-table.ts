import { routes } from '../functions/routes.ts';
import { DOMAINS, type Domain, type RouteDef } from '../shared/http/route.ts';

/** The route table as a list, typed loosely enough for infrastructure code. */
export const ROUTE_DEFS: readonly RouteDef[] = Object.values(routes);

/** Domains with at least one route: each gets one Lambda (a domain with none would get none). */
export function domainsWithRoutes(defs: readonly RouteDef[] = ROUTE_DEFS): Domain[] {
  return DOMAINS.filter((domain) => defs.some((def) => def.domain === domain));
}

/** `auth` → `Auth`, for construct ids. */
export function pascal(name: string): string {
  return name.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * Whether a domain's Lambda needs the JWT key: it verifies tokens on any route whose auth isn't
 * `none`, and `auth` issues them. The rest (health checks, signed webhooks) never see one.
 */
export function usesAccessTokens(domain: Domain, defs: readonly RouteDef[] = ROUTE_DEFS): boolean {
  return domain === 'auth' || defs.some((def) => def.domain === domain && def.auth !== 'none');
}
