import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import { type Cursor, epochMicros, olderThan } from '../pagination/keyset.ts';

/** Inserts the block; false when it already existed (blocking twice changes nothing). */
export async function insertBlock(db: DbOrTrx, blockerId: string, blockedId: string): Promise<boolean> {
  const row = await db
    .insertInto('blocks')
    .values({ blocker_id: blockerId, blocked_id: blockedId })
    .onConflict((oc) => oc.columns(['blocker_id', 'blocked_id']).doNothing())
    .returning('blocker_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteBlock(db: DbOrTrx, blockerId: string, blockedId: string): Promise<boolean> {
  const row = await db
    .deleteFrom('blocks')
    .where('blocker_id', '=', blockerId)
    .where('blocked_id', '=', blockedId)
    .returning('blocker_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether either of the two blocks the other (blocks_pkey both ways). */
export async function isBlockedEitherWay(db: DbOrTrx, a: string, b: string): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select(sql`1`.as('one'))
    .where((eb) =>
      eb.or([
        eb.and([eb('blocker_id', '=', a), eb('blocked_id', '=', b)]),
        eb.and([eb('blocker_id', '=', b), eb('blocked_id', '=', a)]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The people I block, newest block first (blocks_list_idx). Listed whatever else hides them
 * from me, so that I can always unblock; deleted accounts drop out.
 */
export function listBlockRows(db: DbOrTrx, blockerId: string, cursor: Cursor | undefined, limit: number) {
  let q = db
    .selectFrom('blocks as b')
    .innerJoin('users as u', 'u.id', 'b.blocked_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.avatar_key', 'b.created_at'])
    .select(epochMicros('b.created_at').as('blocked_us'))
    .where('b.blocker_id', '=', blockerId)
    .where('u.deleted_at', 'is', null);
  if (cursor) q = q.where(olderThan('b.created_at', 'b.blocked_id', cursor));
  return q.orderBy('b.created_at', 'desc').orderBy('b.blocked_id', 'desc').limit(limit).execute();
}

/** A live account the blocker may block (suspended ones too: a block outlives a suspension). */
export function findBlockableUser(db: DbOrTrx, id: string) {
  return db
    .selectFrom('users')
    .select('id')
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}
