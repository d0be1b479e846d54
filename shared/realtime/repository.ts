import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { OutboxEventType } from '../db/schema.ts';
import { LIVE_LIMITS } from './protocol.ts';

const MAX_CONNECTION = sql`make_interval(secs => ${LIVE_LIMITS.maxConnectionSeconds})`;

// ── live connections ──────────────────────────────────────────────────────────────────────────

/**
 * A new socket, in one round trip (each $connect is one Lambda call, so this is the table's churn
 * cost): stored unless its sign-in is revoked or the person already has `maxPerUser` live ones.
 * It lives until the token's expiry, never past API Gateway's 2 h. Undefined when refused.
 */
export async function insertConnection(
  db: DbOrTrx,
  c: { connection_id: string; user_id: string; session_id: string | null; expires_at: Date },
  maxPerUser: number,
) {
  const { rows } = await sql<{ connection_id: string; expires_at: Date }>`
    INSERT INTO live_connections (connection_id, user_id, session_id, expires_at)
    SELECT ${c.connection_id}::text, ${c.user_id}::uuid, ${c.session_id}::uuid,
           least(${c.expires_at}::timestamptz, now() + ${MAX_CONNECTION})
    WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens
                      WHERE family_id = ${c.session_id}::uuid AND revoked_at IS NOT NULL)
      AND (SELECT count(*) FROM live_connections
           WHERE user_id = ${c.user_id}::uuid AND expires_at > now()) < ${maxPerUser}
    ON CONFLICT (connection_id) DO NOTHING
    RETURNING connection_id, expires_at`.execute(db);
  return rows[0];
}

/** `live_connections_user_idx`. */
export async function countLiveConnections(db: DbOrTrx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('live_connections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirstOrThrow();
  return row.n;
}

export function findConnection(db: DbOrTrx, connectionId: string) {
  return db
    .selectFrom('live_connections')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
}

/** A fresher token for the same person moves the expiry (still within 2 h of connecting). */
export function renewConnection(
  db: DbOrTrx,
  connectionId: string,
  userId: string,
  renewal: { session_id: string | null; expires_at: Date },
) {
  return db
    .updateTable('live_connections')
    .set({
      session_id: renewal.session_id,
      expires_at: sql<Date>`least(${renewal.expires_at}::timestamptz, connected_at + ${MAX_CONNECTION})`,
    })
    .where('connection_id', '=', connectionId)
    .where('user_id', '=', userId)
    .returning(['connection_id', 'expires_at'])
    .executeTakeFirst();
}

export function deleteConnections(db: DbOrTrx, connectionIds: readonly string[]) {
  if (!connectionIds.length) return Promise.resolve();
  return db.deleteFrom('live_connections').where('connection_id', 'in', connectionIds).execute();
}

/** The sockets an event goes to: the recipient's unexpired ones. */
export function listLiveConnections(db: DbOrTrx, userId: string) {
  return db
    .selectFrom('live_connections')
    .select('connection_id')
    .where('user_id', '=', userId)
    .where('expires_at', '>', sql<Date>`now()`)
    .execute();
}

/** A revoked sign-in's sockets (and any of the person's from tokens that carried no session). */
export function listSessionConnections(db: DbOrTrx, userId: string, sessionId: string) {
  return db
    .selectFrom('live_connections')
    .select('connection_id')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('session_id', '=', sessionId), eb('session_id', 'is', null)]))
    .execute();
}

/** `live_connections_expires_idx`: sockets whose token has expired, for the sweeper to close. */
export function listExpiredConnections(db: DbOrTrx, limit: number) {
  return db
    .selectFrom('live_connections')
    .select('connection_id')
    .where('expires_at', '<=', sql<Date>`now()`)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}

// ── event outbox ─────────────────────────────────────────────────────────────────────────────

export async function insertOutboxEvent(
  db: DbOrTrx,
  e: { recipient_id: string; actor_id: string | null; type: OutboxEventType; data: string },
): Promise<string> {
  const row = await db.insertInto('event_outbox').values(e).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Leases undelivered events for one delivery attempt. An event another worker holds (lease not
 * expired) or that is already done is skipped, so concurrent or duplicate wake-ups deliver it once
 * per lease; a worker that dies mid-way loses its lease after `leaseSeconds`.
 */
export function claimEvents(db: DbOrTrx, ids: readonly string[], leaseSeconds: number) {
  return db
    .updateTable('event_outbox')
    .set({
      claimed_until: sql`now() + make_interval(secs => ${leaseSeconds})`,
      attempts: sql`attempts + 1`,
    })
    .where('id', 'in', ids)
    .where('done_at', 'is', null)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', sql<Date>`now()`)]))
    .returningAll()
    .execute();
}

export type OutboxEvent = Awaited<ReturnType<typeof claimEvents>>[number];

export function markEventStep(db: DbOrTrx, id: string, step: 'live_done_at' | 'push_done_at') {
  return db
    .updateTable('event_outbox')
    .set({ [step]: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Delivered (or given up, with the reason): the sweeper prunes it after the retention. */
export function finishEvent(db: DbOrTrx, id: string, error: string | null = null) {
  return db
    .updateTable('event_outbox')
    .set({ done_at: sql`now()`, claimed_until: null, ...(error ? { last_error: error } : {}) })
    .where('id', '=', id)
    .execute();
}

/** A failed attempt: the lease goes, the error stays, the next wake-up tries again. */
export function releaseEvent(db: DbOrTrx, id: string, error: string) {
  return db
    .updateTable('event_outbox')
    .set({ claimed_until: null, last_error: error.slice(0, 1000) })
    .where('id', '=', id)
    .execute();
}

/** `event_outbox_pending_idx`: undelivered, unleased events at least `seconds` old. */
export function listStaleEvents(db: DbOrTrx, seconds: number, limit: number) {
  return db
    .selectFrom('event_outbox')
    .select(['id', 'attempts'])
    .where('done_at', 'is', null)
    .where('created_at', '<=', sql<Date>`now() - make_interval(secs => ${seconds})`)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', sql<Date>`now()`)]))
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/** `event_outbox_done_idx`. */
export function pruneDoneEvents(db: DbOrTrx, hours: number) {
  return db
    .deleteFrom('event_outbox')
    .where('done_at', '<', sql<Date>`now() - make_interval(hours => ${hours})`)
    .executeTakeFirst();
}
