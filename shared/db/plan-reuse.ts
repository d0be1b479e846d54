import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { type Expression, sql } from 'kysely';
import type pg from 'pg';

/**
 * Plan reuse for the hottest statements. PostgreSQL plans an unnamed statement on every
 * execution; for the feed's joins planning took as long as running it (BENCHMARKS.md). A
 * statement marked with `reusePlan()` is sent as a *named* prepared statement through the
 * extended protocol (pg's `name` option): parsed once per connection, and after five executions
 * PostgreSQL keeps a generic plan and skips planning. RDS Proxy multiplexes extended-protocol
 * prepared statements without pinning (it re-sends the Parse on whichever database connection
 * it borrows); SQL-level PREPARE/EXECUTE/DEALLOCATE would pin, so they are never used.
 *
 * Only mark statements whose text comes from code (no IN lists that vary in length) and whose
 * plan does not depend on the parameter values: write the constants the partial indexes match
 * on, and the LIMIT, as literals (`sql.lit`), or the generic plan cannot use those indexes.
 */
const MARK = '/* plan:reuse */';

/** Appends the marker the pool wrapper looks for. */
export function reusePlan<Q extends { modifyEnd(modifier: Expression<unknown>): Q }>(query: Q): Q {
  return query.modifyEnd(sql.raw(MARK));
}

const names = new Map<string, string>();

/** A stable statement name per SQL text (the same text on every connection and every instance). */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `lokiz_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Kysely's view of a pool (a pg Pool, or a wrapper handing out pg's clients), sending marked
 * statements as named prepared statements.
 */
export function withPlanReuse(pool: PostgresPool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = (await pool.connect()) as unknown as pg.PoolClient;
      return {
        // biome-ignore lint/suspicious/noExplicitAny: forwards both of Kysely's overloads to pg
        query: ((text: any, values?: readonly unknown[]) =>
          typeof text === 'string' && text.endsWith(MARK)
            ? client.query({ name: statementName(text), text, values: values as unknown[] })
            : client.query(text, values as unknown[])) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
}
