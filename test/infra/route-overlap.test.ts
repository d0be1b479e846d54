import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { routes } from '../../functions/routes.ts';
import type { RouteDef } from '../../shared/http/route.ts';

/**
 * API Gateway picks "the most specific" route but documents no precedence between two templates
 * with as many literal segments each (`/a/lit/{x}` against `/a/{y}/lit`). So no concrete path that
 * a client could legitimately send may match two routes of the same method: a path is ambiguous
 * when it matches both templates and at least one route would accept it (each of its parameters
 * taking the literal the other template has there passes that route's params schema).
 */
type Segment = { literal: string } | { param: string; greedy: boolean };

function segments(path: string): Segment[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => {
      const m = /^\{(\w+)(\+?)\}$/.exec(s);
      return m ? { param: m[1]!, greedy: m[2] === '+' } : { literal: s };
    });
}

/** Does the route's params schema accept `value` for `name`? (No schema: any segment is accepted.) */
function accepts(def: RouteDef, name: string, value: string): boolean {
  const shape = (def.params as z.ZodMiniObject | undefined)?.shape as
    | Record<string, z.ZodMiniType>
    | undefined;
  const schema = shape?.[name];
  return schema ? schema.safeParse(value).success : true;
}

/** The concrete path both templates match and which route(s) would accept it, or null if none. */
function overlap(a: RouteDef, b: RouteDef): { path: string; validFor: string[] } | null {
  if (a.method !== b.method) return null;
  const sa = segments(a.path);
  const sb = segments(b.path);
  const greedy = [...sa, ...sb].some((s) => 'greedy' in s && s.greedy);
  if (!greedy && sa.length !== sb.length) return null;
  const concrete: string[] = [];
  let aValid = true;
  let bValid = true;
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const x = sa[i];
    const y = sb[i];
    if (!x || !y) {
      // Only a greedy parameter can absorb the rest of the longer template.
      const last = (x ? sb : sa).at(-1)!;
      if (!('greedy' in last && last.greedy)) return null;
      break;
    }
    // A parameter never matches an empty segment (the seed's trailing-slash `GET /v1/videos/`).
    if (('literal' in x && x.literal === '') !== ('literal' in y && y.literal === '')) return null;
    if ('literal' in x && 'literal' in y) {
      if (x.literal !== y.literal) return null;
      concrete.push(x.literal);
    } else if ('literal' in x && 'param' in y) {
      concrete.push(x.literal);
      bValid &&= accepts(b, y.param, x.literal);
    } else if ('param' in x && 'literal' in y) {
      concrete.push(y.literal);
      aValid &&= accepts(a, x.param, y.literal);
    } else {
      concrete.push(`{${(x as { param: string }).param}}`);
    }
  }
  const validFor = [aValid ? `${a.method} ${a.path}` : '', bValid ? `${b.method} ${b.path}` : ''].filter(
    Boolean,
  );
  return validFor.length ? { path: `/${concrete.join('/')}`, validFor } : null;
}

describe('route table: no two routes can claim the same request', () => {
  it('finds no ambiguous pair among all routes', () => {
    const defs = Object.entries(routes as Record<string, RouteDef>);
    const found: string[] = [];
    for (let i = 0; i < defs.length; i++) {
      for (let j = i + 1; j < defs.length; j++) {
        const [na, a] = defs[i]!;
        const [nb, b] = defs[j]!;
        const o = overlap(a, b);
        if (o)
          found.push(`${na} and ${nb} both match ${a.method} ${o.path} (valid for ${o.validFor.join(', ')})`);
      }
    }
    expect(found).toEqual([]);
  });

  it('would have caught the old username lookup, and tells harmless pairs apart', async () => {
    const { IdParams } = await import('../../shared/http/schemas.ts');
    const { UsernameParams } = await import('../../functions/users/schemas.ts');
    const route = (path: string, params: z.ZodMiniType): RouteDef => ({
      method: 'GET',
      path,
      domain: 'users',
      auth: 'none',
      params,
    });
    const byName = route('/v1/users/by-username/{username}', UsernameParams);
    const videos = route('/v1/users/{id}/videos', IdParams);
    expect(overlap(byName, videos)).toEqual({
      path: '/v1/users/by-username/videos',
      validFor: ['GET /v1/users/by-username/{username}'],
    });
    // `/v1/comments/videos/replies` matches both templates, but neither route accepts it (ids are UUIDs).
    const comments = route('/v1/comments/videos/{id}', IdParams);
    const replies = route('/v1/comments/{id}/replies', IdParams);
    expect(overlap(comments, replies)).toBeNull();
    // Same template twice is always a clash; different methods never are.
    expect(overlap(videos, videos)).not.toBeNull();
    expect(overlap(videos, { ...videos, method: 'POST' })).toBeNull();
    // A greedy parameter swallows the rest.
    expect(overlap(route('/v1/files/{key+}', IdParams), route('/v1/files/a/b', IdParams))).not.toBeNull();
  });
});
