import { isFamilyRevoked } from '../auth/repository.ts';
import { verifyAccessToken } from '../auth/tokens.ts';
import type { DbOrTrx } from '../db/client.ts';
import { TooManyRequestsError, UnauthorizedError } from '../http/errors.ts';
import { MAX_CONNECTIONS_PER_USER } from './protocol.ts';
import {
  countLiveConnections,
  deleteConnections,
  findConnection,
  insertConnection,
  renewConnection,
} from './repository.ts';

/**
 * The rules of a live socket: it opens with a valid access token of a sign-in that has not been
 * revoked, lives until that token expires (at most 2 h), and may be renewed with a fresher token
 * of the same person. Checked with the same jose verification as every HTTP route.
 */
async function verifiedClaims(db: DbOrTrx, token: string) {
  const claims = await verifyAccessToken(token);
  if (await isFamilyRevoked(db, claims.sessionId)) throw sessionRevoked();
  return claims;
}

const sessionRevoked = () => new UnauthorizedError('This session has been signed out', 'session_revoked');

/**
 * $connect: the revoked-session check, the per-account limit (soft: two racing connects may both
 * pass; it bounds fan-out work per person) and the insert are one statement; the reason for a
 * refusal is looked up only when there is one.
 */
export async function openConnection(db: DbOrTrx, connectionId: string, token: string | undefined) {
  if (!token) throw new UnauthorizedError('Connect with ?token=<access token>');
  const claims = await verifyAccessToken(token);
  const row = await insertConnection(
    db,
    {
      connection_id: connectionId,
      user_id: claims.id,
      session_id: claims.sessionId,
      expires_at: claims.expiresAt,
    },
    MAX_CONNECTIONS_PER_USER,
  );
  if (!row) {
    if (await isFamilyRevoked(db, claims.sessionId)) throw sessionRevoked();
    if ((await countLiveConnections(db, claims.id)) >= MAX_CONNECTIONS_PER_USER) {
      throw new TooManyRequestsError(`At most ${MAX_CONNECTIONS_PER_USER} live connections per account`);
    }
    // The same connection id twice: API Gateway never reuses one, so this is a retried $connect.
  }
  return { userId: claims.id, expiresAt: row?.expires_at ?? claims.expiresAt };
}

/** The socket's expiry, or null when it is unknown or already expired (the client should reconnect). */
export async function connectionExpiry(db: DbOrTrx, connectionId: string): Promise<Date | null> {
  const row = await findConnection(db, connectionId);
  if (!row || row.expires_at.getTime() <= Date.now()) return null;
  return row.expires_at;
}

export async function renewLiveConnection(db: DbOrTrx, connectionId: string, token: string): Promise<Date> {
  const claims = await verifiedClaims(db, token);
  const row = await renewConnection(db, connectionId, claims.id, {
    session_id: claims.sessionId,
    expires_at: claims.expiresAt,
  });
  // Unknown socket, or a token of someone else: the socket keeps what it had.
  if (!row) throw new UnauthorizedError('This token cannot renew this connection', 'invalid_token');
  return row.expires_at;
}

/** $disconnect (or a socket found gone): the row goes; nothing is sent there again. */
export function forgetConnection(db: DbOrTrx, connectionId: string) {
  return deleteConnections(db, [connectionId]);
}
