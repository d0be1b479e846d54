import { hashPassword } from '../auth/passwords.ts';
import { endAllSessions } from '../auth/sessions.ts';
import type { Db } from '../db/client.ts';
import type { Locale } from '../db/schema.ts';
import { BadRequestError } from '../http/errors.ts';
import { appLink } from '../mail/config.ts';
import { trySendMail } from '../mail/send.ts';
import { findNewestEmailClaim, findUserByEmail } from '../users/repository.ts';
import { hashEmailToken, issueEmailToken } from './email-tokens.ts';
import { requireAcceptablePassword } from './passwords.ts';
import {
  consumeEmailToken,
  expireEmailTokens,
  findLiveEmailToken,
  recentEmailTokens,
  setPasswordHash,
} from './repository.ts';
import { completeVerification } from './verification.ts';

/** Reset mails per account per hour; past it, requests are answered the same and dropped. */
export const RESET_MAILS_PER_HOUR = 3;

/**
 * Forgot password: mails a reset link (30 min, single use) to the account that owns the
 * address, or, while nobody has verified it, to the newest account claiming it (following the
 * link proves the mailbox, which verifies that account). Always returns normally: the caller
 * answers the same whether or not anything was sent.
 */
export async function requestPasswordReset(db: Db, email: string, requestLocale: Locale): Promise<void> {
  const sent = await db.transaction().execute(async (trx) => {
    const user = (await findUserByEmail(trx, email)) ?? (await findNewestEmailClaim(trx, email));
    if (!user) return null;
    const recent = await recentEmailTokens(trx, user.id, 'reset_password', 3600);
    if (recent.length >= RESET_MAILS_PER_HOUR) return null;
    return { to: user.email, token: await issueEmailToken(trx, user.id, 'reset_password') };
  });
  if (!sent) return;
  await trySendMail({
    to: sent.to,
    template: { kind: 'reset_password', link: appLink('/reset-password', { token: sent.token }) },
    locale: requestLocale,
  });
}

/** Sets the new password and signs out every session of the account. */
export async function resetPasswordWithLink(db: Db, token: string, password: string): Promise<void> {
  const tokenHash = hashEmailToken(token);
  const invalid = () =>
    new BadRequestError('This link is not valid or has expired', undefined, 'invalid_link');
  // Check the password before spending the link, and hash outside the transaction (bcrypt is slow).
  const holder = await findLiveEmailToken(db, tokenHash, 'reset_password');
  if (!holder) throw invalid();
  await requireAcceptablePassword(password, holder);
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const row = await consumeEmailToken(trx, tokenHash, 'reset_password');
    if (!row) throw invalid();
    await setPasswordHash(trx, row.user_id, passwordHash);
    await expireEmailTokens(trx, row.user_id, 'reset_password');
    await endAllSessions(trx, row.user_id);
    // The link reached the mailbox: that verifies the address too, unless another account owns it.
    const owner = await findUserByEmail(trx, holder.email);
    if (!owner) await completeVerification(trx, row.user_id);
  });
}
