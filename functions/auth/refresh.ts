import { rotateSession } from '../../shared/auth/sessions.ts';
import { getDb } from '../../shared/db/client.ts';
import { UnauthorizedError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { findUserById } from '../../shared/users/repository.ts';
import { toMe } from '../../shared/users/view.ts';
import type { Routes } from '../routes.ts';

const MESSAGES = {
  unknown: 'Refresh token is not valid',
  revoked: 'This session has been signed out',
  expired: 'Refresh token has expired; sign in again',
  reused: 'Refresh token was already used; this session has been revoked for safety',
} as const;

export const refresh: RouteHandler<Routes['refresh']> = async ({ body }) => {
  // The transaction commits a reuse-triggered revocation before we answer 401.
  const result = await getDb()
    .transaction()
    .execute(async (trx) => {
      const rotated = await rotateSession(trx, body.refresh_token);
      if (!rotated.ok) return rotated;
      const user = await findUserById(trx, rotated.userId);
      return { ...rotated, user };
    });
  if (!result.ok) throw new UnauthorizedError(MESSAGES[result.reason], 'invalid_refresh_token');
  if (!result.user) throw new UnauthorizedError(MESSAGES.unknown, 'invalid_refresh_token');
  return { ...result.tokens, user: await toMe(result.user) };
};
