import { describe, expect, it } from 'vitest';
import { domainsWithRoutes, pascal, usesAccessTokens } from '../../infra/route-table.ts';
import type { RouteDef } from '../../shared/http/route.ts';

const def = (domain: RouteDef['domain']): RouteDef => ({
  method: 'GET',
  path: `/v1/${domain}`,
  domain,
  auth: 'none',
});

describe('domainsWithRoutes', () => {
  it('lists only domains that have routes, in DOMAINS order', () => {
    expect(domainsWithRoutes([def('videos'), def('auth'), def('videos')])).toEqual(['auth', 'videos']);
    expect(domainsWithRoutes([])).toEqual([]);
  });
});

describe('pascal', () => {
  it('makes construct ids from domain names', () => {
    expect(pascal('auth')).toBe('Auth');
    expect(pascal('ai-jobs')).toBe('AiJobs');
  });
});

describe('usesAccessTokens', () => {
  const withAuth = (domain: RouteDef['domain'], auth: RouteDef['auth']): RouteDef => ({
    ...def(domain),
    auth,
  });

  it('is true for domains with any route that reads a token, and for auth (which issues them)', () => {
    const defs = [withAuth('videos', 'none'), withAuth('videos', 'optional'), withAuth('webhooks', 'none')];
    expect(usesAccessTokens('videos', defs)).toBe(true);
    expect(usesAccessTokens('webhooks', defs)).toBe(false);
    expect(usesAccessTokens('auth', [withAuth('auth', 'none')])).toBe(true);
  });
});
