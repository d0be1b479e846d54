import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../db/client.ts';
import { AppError, UnauthorizedError } from '../http/errors.ts';
import { recordEvent } from '../realtime/outbox.ts';
import { authEnv } from './config.ts';
import {
  findAccountStanding,
  findFamilyByTokenHash,
  findLiveSession,
  findRefreshTokenForUpdate,
  insertRefreshToken,
  markRotated,
  revokeFamily,
  revokeUserSessions,
} from './repository.ts';
import {
  type AuthUser,
  hashRefreshToken,
  issueAccessToken,
  newRefreshToken,
  verifyAccessToken,
} from './tokens.ts';

/** OAuth 2.0 (RFC 6749 §5.1) token response fields, flat in the response body. */
export interface SessionTokens {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
}

/**
 * Every way in (sign-in, refresh, verification, reset) issues tokens here: a suspended account
 * gets none (403 account_suspended), and the access token carries the account's current role.
 */
async function issueTokens(db: DbOrTrx, userId: string, familyId: string): Promise<SessionTokens> {
  const standing = await findAccountStanding(db, userId);
  if (standing?.suspended_at) {
    throw new AppError(403, 'account_suspended', 'This account is suspended', {
      reason: standing.suspended_reason,
    });
  }
  const e = authEnv();
  const refresh = newRefreshToken();
  const refreshExpiresAt = new Date(Date.now() + e.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  await insertRefreshToken(db, {
    user_id: userId,
    family_id: familyId,
    token_hash: refresh.hash,
    expires_at: refreshExpiresAt,
  });
  const access = await issueAccessToken(userId, familyId, standing?.role);
  return {
    access_token: access.token,
    token_type: 'bearer',
    expires_in: e.ACCESS_TOKEN_TTL_SECONDS,
    refresh_token: refresh.token,
  };
}

/** A new sign-in: a new refresh-token family. */
export function startSession(db: DbOrTrx, userId: string): Promise<SessionTokens> {
  return issueTokens(db, userId, randomUUID());
}

export type RotateResult =
  | { ok: true; userId: string; tokens: SessionTokens }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired' | 'reused' };

/**
 * Rotates a refresh token: the presented one is spent and a new one of the same family
 * issued. Presenting a spent token means it was copied: the whole family is revoked.
 * Returns instead of throwing so the caller can commit that revocation.
 */
export async function rotateSession(db: DbOrTrx, refreshToken: string): Promise<RotateResult> {
  const row = await findRefreshTokenForUpdate(db, hashRefreshToken(refreshToken));
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  if (row.rotated_at) {
    await revokeSession(db, row.family_id, row.user_id);
    return { ok: false, reason: 'reused' };
  }
  if (row.expires_at.getTime() <= Date.now()) return { ok: false, reason: 'expired' };
  await markRotated(db, row.id);
  return { ok: true, userId: row.user_id, tokens: await issueTokens(db, row.user_id, row.family_id) };
}

/** Logout: revokes the token's whole family. Unknown tokens are ignored (nothing to reveal). */
export async function endSession(db: DbOrTrx, refreshToken: string): Promise<void> {
  const row = await findFamilyByTokenHash(db, hashRefreshToken(refreshToken));
  if (row) await revokeSession(db, row.family_id, row.user_id);
}

/**
 * Revokes a sign-in and, in the same transaction, tells fan-out: that sign-in's live sockets
 * are closed and its push devices removed (shared/realtime/fanout.ts). Revoking twice tells once.
 */
async function revokeSession(db: DbOrTrx, familyId: string, userId: string): Promise<void> {
  const [revoked] = await revokeFamily(db, familyId);
  if (!revoked?.numUpdatedRows) return;
  await recordEvent(db, { type: 'session.revoked', recipientId: userId, data: { session_id: familyId } });
}

/**
 * Signs out every session of an account (password reset, account deletion) or every one but
 * `keepSessionId` (password change). Their access tokens stop working at once: see authenticateToken.
 */
export async function endAllSessions(db: DbOrTrx, userId: string, keepSessionId?: string): Promise<void> {
  for (const familyId of await revokeUserSessions(db, userId, keepSessionId)) {
    await recordEvent(db, { type: 'session.revoked', recipientId: userId, data: { session_id: familyId } });
  }
}

/**
 * A valid access token is not enough: its session (`sid`) must not be revoked and its account
 * not deleted, so signing out, a password change or reset and account deletion end access at
 * once instead of when the token expires. One indexed lookup per authenticated request.
 */
export async function authenticateToken(db: DbOrTrx, token: string): Promise<AuthUser> {
  const claims = await verifyAccessToken(token);
  const session = await findLiveSession(db, claims.id, claims.sessionId);
  if (!session) throw new UnauthorizedError('This session has ended; sign in again', 'session_ended');
  return {
    ...claims,
    emailVerified: session.email_verified_at !== null,
    role: session.role,
    excludeAi: session.exclude_ai,
  };
}
