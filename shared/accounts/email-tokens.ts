import { createHash, randomBytes } from 'node:crypto';
import type { DbOrTrx } from '../db/client.ts';
import { type EmailTokenPurpose, insertEmailToken } from './repository.ts';

/** How long each kind of mailed link works. */
export const EMAIL_TOKEN_TTL_SECONDS: Record<EmailTokenPurpose, number> = {
  verify_email: 24 * 3600,
  reset_password: 30 * 60,
};

export function hashEmailToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new single-use token for a mailed link; only its SHA-256 is stored. */
export async function issueEmailToken(
  db: DbOrTrx,
  userId: string,
  purpose: EmailTokenPurpose,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await insertEmailToken(db, {
    user_id: userId,
    purpose,
    token_hash: hashEmailToken(token),
    expires_at: new Date(Date.now() + EMAIL_TOKEN_TTL_SECONDS[purpose] * 1000),
  });
  return token;
}
