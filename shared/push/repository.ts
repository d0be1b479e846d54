import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { PushPlatform } from '../db/schema.ts';

// ── devices ──────────────────────────────────────────────────────────────────────────────────

const DEVICE_COLUMNS = ['id', 'user_id', 'platform', 'endpoint_arn', 'created_at'] as const;

export function findDeviceByToken(db: DbOrTrx, token: string) {
  return db.selectFrom('push_devices').selectAll().where('token', '=', token).executeTakeFirst();
}

/** One row per token: registering a known token moves it to this person and sign-in. */
export function upsertDevice(
  db: DbOrTrx,
  d: {
    user_id: string;
    session_id: string | null;
    platform: PushPlatform;
    token: string;
    endpoint_arn: string;
  },
) {
  return db
    .insertInto('push_devices')
    .values(d)
    .onConflict((oc) =>
      oc.column('token').doUpdateSet({
        user_id: d.user_id,
        session_id: d.session_id,
        platform: d.platform,
        endpoint_arn: d.endpoint_arn,
        updated_at: sql`now()`,
      }),
    )
    .returning(DEVICE_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function listDevices(db: DbOrTrx, userId: string) {
  return db
    .selectFrom('push_devices')
    .select(['id', 'endpoint_arn', 'platform'])
    .where('user_id', '=', userId)
    .orderBy('updated_at', 'desc')
    .execute();
}

/** Devices beyond the newest `keep` (the oldest registrations: likely uninstalled apps). */
export function listSurplusDevices(db: DbOrTrx, userId: string, keep: number) {
  return db
    .selectFrom('push_devices')
    .select(['id', 'endpoint_arn'])
    .where('user_id', '=', userId)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .offset(keep)
    .execute();
}

export function deleteOwnDevice(db: DbOrTrx, id: string, userId: string) {
  return db
    .deleteFrom('push_devices')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returning('endpoint_arn')
    .executeTakeFirst();
}

export function deleteDevices(db: DbOrTrx, ids: readonly string[]) {
  if (!ids.length) return Promise.resolve();
  return db.deleteFrom('push_devices').where('id', 'in', ids).execute();
}

/** A revoked sign-in's devices (and the person's devices registered without one). */
export function deleteSessionDevices(db: DbOrTrx, userId: string, sessionId: string) {
  return db
    .deleteFrom('push_devices')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('session_id', '=', sessionId), eb('session_id', 'is', null)]))
    .returning('endpoint_arn')
    .execute();
}

// ── preferences ──────────────────────────────────────────────────────────────────────────────

export function findPreferences(db: DbOrTrx, userId: string) {
  return db
    .selectFrom('push_preferences')
    .select(['likes', 'comments', 'follows', 'glitches', 'ai_jobs'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/**
 * One statement, so concurrent partial updates don't undo each other: a new row starts from
 * `initial`; an existing row changes only the switches in `patch`.
 */
export function upsertPreferences(
  db: DbOrTrx,
  userId: string,
  initial: { likes: boolean; comments: boolean; follows: boolean; glitches: boolean; ai_jobs: boolean },
  patch: Partial<typeof initial>,
) {
  return db
    .insertInto('push_preferences')
    .values({ user_id: userId, ...initial })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...patch, updated_at: sql`now()` }))
    .returning(['likes', 'comments', 'follows', 'glitches', 'ai_jobs'])
    .executeTakeFirstOrThrow();
}

// ── like windows ─────────────────────────────────────────────────────────────────────────────

/**
 * Puts a like into the open (recipient, video) window, opening one if there is none
 * (`push_like_batches_open_key`). `likedAt` is the like's time: the window starts at its earliest
 * like, however late or out of order fan-out handles them. `opened` is true for the like that
 * opened the window (xmax = 0: the row was inserted, not updated).
 */
export function joinLikeBatch(
  db: DbOrTrx,
  b: { recipientId: string; videoId: string; likedAt: Date; windowSeconds: number },
) {
  return db
    .insertInto('push_like_batches')
    .values({
      recipient_id: b.recipientId,
      video_id: b.videoId,
      window_start: b.likedAt,
      send_after: sql`now() + make_interval(secs => ${b.windowSeconds})`,
    })
    .onConflict((oc) =>
      oc
        .columns(['recipient_id', 'video_id'])
        .where('sent_at', 'is', null)
        .doUpdateSet({ window_start: sql`least(push_like_batches.window_start, excluded.window_start)` }),
    )
    .returning(['id', 'send_after', sql<boolean>`xmax = 0`.as('opened')])
    .executeTakeFirstOrThrow();
}

/** Leases a due, unsent window for sending; undefined when not due, taken or already sent. */
export function claimLikeBatch(db: DbOrTrx, id: string, leaseSeconds: number) {
  return db
    .updateTable('push_like_batches')
    .set({
      claimed_until: sql`now() + make_interval(secs => ${leaseSeconds})`,
      attempts: sql`attempts + 1`,
    })
    .where('id', '=', id)
    .where('sent_at', 'is', null)
    .where('send_after', '<=', sql<Date>`now()`)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', sql<Date>`now()`)]))
    .returningAll()
    .executeTakeFirst();
}

export function markLikeBatchSent(db: DbOrTrx, id: string) {
  return db
    .updateTable('push_like_batches')
    .set({ sent_at: sql`now()`, claimed_until: null })
    .where('id', '=', id)
    .execute();
}

export function releaseLikeBatch(db: DbOrTrx, id: string) {
  return db.updateTable('push_like_batches').set({ claimed_until: null }).where('id', '=', id).execute();
}

/** `push_like_batches_due_idx`. */
export function listDueLikeBatches(db: DbOrTrx, limit: number) {
  return db
    .selectFrom('push_like_batches')
    .select(['id', 'attempts'])
    .where('sent_at', 'is', null)
    .where('send_after', '<=', sql<Date>`now()`)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', sql<Date>`now()`)]))
    .orderBy('send_after')
    .limit(limit)
    .execute();
}

export function pruneSentLikeBatches(db: DbOrTrx, hours: number) {
  return db
    .deleteFrom('push_like_batches')
    .where('sent_at', '<', sql<Date>`now() - make_interval(hours => ${hours})`)
    .executeTakeFirst();
}
