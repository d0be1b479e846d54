import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import { cachedQuery } from '../db/compiled-cache.ts';
import { reusePlan } from '../db/plan-reuse.ts';

export function insertRefreshToken(
  db: DbOrTrx,
  token: { user_id: string; family_id: string; token_hash: string; expires_at: Date },
) {
  return db.insertInto('refresh_tokens').values(token).execute();
}

/** Locks the row so two concurrent refreshes of one token are serialised. */
export function findRefreshTokenForUpdate(db: DbOrTrx, tokenHash: string) {
  return db
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export function markRotated(db: DbOrTrx, id: string) {
  return db.updateTable('refresh_tokens').set({ rotated_at: sql`now()` }).where('id', '=', id).execute();
}

export function revokeFamily(db: DbOrTrx, familyId: string) {
  return db
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql`now()` })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

export function findFamilyByTokenHash(db: DbOrTrx, tokenHash: string) {
  return db
    .selectFrom('refresh_tokens')
    .select(['family_id', 'user_id'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Revokes every live refresh token of a user, except one family (the caller's own session);
 * returns the families it revoked.
 */
export async function revokeUserSessions(db: DbOrTrx, userId: string, keepFamilyId?: string) {
  let q = db
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keepFamilyId) q = q.where('family_id', '<>', keepFamilyId);
  const rows = await q.returning('family_id').execute();
  return [...new Set(rows.map((r) => r.family_id))];
}

/** The session behind an access token, if it is live and its account not deleted. */
/** Role and suspension: what token issuance checks. */
export function findAccountStanding(db: DbOrTrx, userId: string) {
  return db
    .selectFrom('users')
    .select(['role', 'suspended_at', 'suspended_reason'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/**
 * The session behind an access token, on every signed-in request of every domain: the API's most
 * frequent statement. Built once (compiled-cache.ts) and sent with its plan reused (plan-reuse.ts):
 * Kysely's build was ~25 µs and PostgreSQL's planning of the join more, per request.
 */
export async function findLiveSession(db: DbOrTrx, userId: string, familyId: string) {
  const { rows } = await cachedQuery(
    db,
    'findLiveSession',
    { params: { userId, familyId }, shape: '' },
    (p) =>
      reusePlan(
        db
          .selectFrom('refresh_tokens as rt')
          .innerJoin('users as u', 'u.id', 'rt.user_id')
          .select(['u.email_verified_at', 'u.role', 'u.exclude_ai'])
          .where('rt.family_id', '=', p.familyId)
          .where('rt.user_id', '=', p.userId)
          .where('rt.revoked_at', 'is', null)
          .where('u.deleted_at', 'is', null)
          // Suspension revokes every session too; this also covers a token issued in between.
          .where('u.suspended_at', 'is', null)
          .limit(sql.lit(1)),
      ),
  );
  return rows[0];
}

/** A sign-in is revoked once any token of its family is (revokeFamily revokes them all at once). */
export async function isFamilyRevoked(db: DbOrTrx, familyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('refresh_tokens')
    .select('id')
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
