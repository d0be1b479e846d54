import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { syncVideoHashtags } from '../../../shared/hashtags/repository.ts';
import { registerUser, uniqueSuffix } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { usePoolOfOne } from '../../harness/pool-of-one.ts';
import { seedReadyVideos } from '../../harness/seed.ts';

/**
 * A tag's page is a hot list like the feed, and planning its joins took twice as long as
 * running it (BENCHMARKS.md): it is built once per shape and sent as a named prepared statement
 * (shared/db/plan-reuse.ts). One pooled connection, so pg_prepared_statements shows what the
 * requests left on the session they used.
 */
useLocalMedia();
const api = useApi();
usePoolOfOne();
const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((v) => v.id);

describe('GET /v1/hashtags/{tag}/videos reuses its plan', () => {
  it('logged out, signed in and with a cursor: one named statement per shape, the values of each request', async () => {
    const owner = await registerUser(api);
    const viewer = await registerUser(api);
    const tags = [`reuse${uniqueSuffix()}`, `reuse${uniqueSuffix()}`];
    for (const tag of tags) {
      const caption = `#${tag} trick`;
      const ids = await seedReadyVideos(owner.id, 4, { caption: () => caption });
      for (const id of ids) await syncVideoHashtags(getDb(), id, caption);
    }
    const path = (tag: string, q = '') => `/v1/hashtags/${tag}/videos?limit=2${q}`;
    const firsts = await Promise.all(tags.map((t) => api.request('GET', path(t))));
    expect(firsts.map((r) => r.status)).toEqual([200, 200]);
    for (let i = 0; i < 7; i++) {
      for (const [n, tag] of tags.entries()) {
        const first = firsts[n]!.body;
        const pages = await Promise.all([
          api.request('GET', path(tag)),
          api.request('GET', path(tag), { token: viewer.accessToken }),
          api.request('GET', path(tag, `&cursor=${first.next_cursor}`)),
        ]);
        expect(pages.map((p) => p.status)).toEqual([200, 200, 200]);
        // Reused SQL with this request's values: this tag's videos, the viewer's likes, the cursor's page.
        expect(ids(pages[0]!)).toEqual(ids(firsts[n]!));
        expect(ids(pages[1]!)).toEqual(ids(firsts[n]!));
        expect(pages[0]!.body.items[0].liked_by_me).toBeNull();
        expect(pages[1]!.body.items[0].liked_by_me).toBe(false);
        expect(ids(pages[2]!)).toHaveLength(2);
        expect(ids(pages[2]!)).not.toContain(ids(firsts[n]!)[0]);
        expect(ids(pages[2]!)).not.toContain(ids(firsts[n]!)[1]);
      }
    }
    expect(new Set([...ids(firsts[0]!), ...ids(firsts[1]!)]).size).toBe(4);

    const { rows } = await sql<{
      name: string;
      statement: string;
      from_sql: boolean;
      generic_plans: number;
      custom_plans: number;
    }>`
      SELECT name, statement, from_sql, generic_plans, custom_plans FROM pg_prepared_statements
    `.execute(getDb());
    const tagPages = rows.filter(
      (r) => /"video_hashtags" as "vh"/.test(r.statement) && /limit 3\b/.test(r.statement),
    );
    // Logged out, signed in (liked_by_me, block filters) and older than a cursor: both tags share them.
    expect(tagPages).toHaveLength(3);
    for (const r of tagPages) {
      expect(r.from_sql).toBe(false);
      expect(r.name).toMatch(/^lokiz_/);
      expect(r.generic_plans + r.custom_plans).toBeGreaterThanOrEqual(14);
    }
  });
});
