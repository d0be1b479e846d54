import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { registerUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { usePoolOfOne } from '../../harness/pool-of-one.ts';
import { seedReadyVideos } from '../../harness/seed.ts';

/**
 * The feed is the API's hottest statement, and planning it took as long as running it
 * (BENCHMARKS.md). It is sent as a named prepared statement (shared/db/plan-reuse.ts) whose
 * constants are literals, so PostgreSQL keeps a generic plan after five executions and plans
 * no more. One pooled connection here, so pg_prepared_statements shows what the requests left
 * on the session they used.
 */
useLocalMedia();
const api = useApi();
usePoolOfOne();

interface Prepared {
  name: string;
  statement: string;
  parameter_types: string;
  from_sql: boolean;
  generic_plans: number;
  custom_plans: number;
}

describe('GET /v1/videos reuses its plan', () => {
  it('logged out, signed in and with a cursor: named statements on the protocol level, generic plans after five runs', async () => {
    const owner = await registerUser(api);
    const viewer = await registerUser(api);
    await seedReadyVideos(owner.id, 6);
    const first = await api.request('GET', `/v1/videos?user_id=${owner.id}&limit=2`);
    expect(first.status).toBe(200);
    const cursor = first.body.next_cursor as string;
    for (let i = 0; i < 7; i++) {
      const pages = await Promise.all([
        api.request('GET', '/v1/videos?limit=2'),
        api.request('GET', `/v1/videos?user_id=${owner.id}&limit=2`),
        api.request('GET', `/v1/videos?user_id=${owner.id}&limit=2`, { token: viewer.accessToken }),
        api.request('GET', `/v1/videos?user_id=${owner.id}&limit=2&cursor=${cursor}`),
      ]);
      expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 200]);
      // Reused SQL with this request's values: the viewer's likes, the cursor's page.
      expect(pages[2]!.body.items.map((v: { id: string }) => v.id)).toEqual(
        first.body.items.map((v: { id: string }) => v.id),
      );
      expect(pages[2]!.body.items[0].liked_by_me).toBe(false);
      expect(pages[3]!.body.items).toHaveLength(2);
      expect(pages[3]!.body.items[0].id).not.toBe(first.body.items[1].id);
    }

    const { rows } = await sql<Prepared>`
      SELECT name, statement, parameter_types::text, from_sql, generic_plans, custom_plans
      FROM pg_prepared_statements
    `.execute(getDb());
    const feed = rows.filter(
      (r) => /from "videos" as "v"/.test(r.statement) && /limit 3\b/.test(r.statement),
    );
    // Everyone's; one person's: logged out, signed in (liked_by_me) and older than a cursor.
    expect(feed).toHaveLength(4);
    // Everyone's feed, logged out: nothing in it is a parameter. The visibility constants (the
    // partial feed index is defined on them) and the page size are literals; were they
    // parameters, a generic plan could not use the index (on 1M videos PostgreSQL then kept
    // making custom plans: 0 generic of 7).
    expect(feed.filter((r) => r.parameter_types === '{}')).toHaveLength(1);
    for (const r of feed) {
      expect(r.from_sql).toBe(false);
      expect(r.name).toMatch(/^lokiz_/);
      // Every run went through the one prepared statement of its shape.
      expect(r.generic_plans + r.custom_plans).toBeGreaterThanOrEqual(7);
    }
    // A statement without parameters is always planned generically after its first run. The
    // others' choice between generic and custom plans depends on the planner's cost estimates,
    // which other test files' rows move while this one runs, so it is not asserted here (the
    // bench measures it at 1M videos).
    expect(feed.find((r) => r.parameter_types === '{}')!.generic_plans).toBeGreaterThan(0);
  });
});
