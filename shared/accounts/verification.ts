import { startSession } from '../auth/sessions.ts';
import { recordSignupBonus } from '../credits/service.ts';
import type { Db, DbOrTrx } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { User } from '../db/schema.ts';
import { BadRequestError, ConflictError, TooManyRequestsError, UnauthorizedError } from '../http/errors.ts';
import { appLink } from '../mail/config.ts';
import { sendMail } from '../mail/send.ts';
import { findUserByEmail, findUserById } from '../users/repository.ts';
import { toMe } from '../users/view.ts';
import { hashEmailToken, issueEmailToken } from './email-tokens.ts';
import { consumeEmailToken, expireEmailTokens, markEmailVerified, recentEmailTokens } from './repository.ts';

/** Resends: one a minute, five a day per account (each is a real mail through SES). */
export const RESEND_LIMITS = { minIntervalSeconds: 60, perDay: 5 } as const;

/**
 * Marks the email verified and grants the sign-up credits (ledger key `signup:<user>`), in the
 * caller's transaction; a second call does nothing. Undefined when it was verified already.
 */
export async function completeVerification(trx: DbOrTrx, userId: string): Promise<User | undefined> {
  try {
    const user = await markEmailVerified(trx, userId);
    if (user) await recordSignupBonus(trx, user.id);
    return user;
  } catch (err) {
    // Another account verified this address first: this claim can never own it.
    if (isUniqueViolation(err, 'users_email_key')) {
      throw new ConflictError(
        'This email address already belongs to another account',
        undefined,
        'email_taken',
      );
    }
    throw err;
  }
}

/** Follows a verification link: verified, credited and signed in (the flat token response). */
export async function followVerificationLink(db: Db, token: string) {
  return db.transaction().execute(async (trx) => {
    const row = await consumeEmailToken(trx, hashEmailToken(token), 'verify_email');
    if (!row) throw new BadRequestError('This link is not valid or has expired', undefined, 'invalid_link');
    await completeVerification(trx, row.user_id);
    await expireEmailTokens(trx, row.user_id, 'verify_email');
    const user = await findUserById(trx, row.user_id);
    if (!user || user.deleted_at)
      throw new BadRequestError('This link is not valid or has expired', undefined, 'invalid_link');
    return { ...(await startSession(trx, user.id)), user: await toMe(user) };
  });
}

/**
 * A new verification link for the signed-in account. Rate-limited per account. An account whose
 * address another account owns gets the same answer and limits but no mail (see sign-up.ts).
 */
export async function sendVerificationAgain(db: Db, userId: string): Promise<void> {
  const { token, user, owned } = await db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, userId);
    // The caller's token outlived its account (as the error middleware answers a vanished caller).
    if (!user) throw new UnauthorizedError('Account no longer exists', 'invalid_token');
    if (user.email_verified_at) {
      throw new ConflictError('Your email address is already verified', undefined, 'already_verified');
    }
    const recent = await recentEmailTokens(trx, userId, 'verify_email', 86_400);
    const last = recent[0]?.created_at.getTime();
    const wait =
      last === undefined ? 0 : Math.ceil(RESEND_LIMITS.minIntervalSeconds - (Date.now() - last) / 1000);
    if (wait > 0) throw new TooManyRequestsError('A verification mail was just sent; wait a minute', wait);
    if (recent.length >= RESEND_LIMITS.perDay) {
      throw new TooManyRequestsError('Too many verification mails today; try again tomorrow', 3600);
    }
    const owned = (await findUserByEmail(trx, user.email)) !== undefined;
    return { token: await issueEmailToken(trx, userId, 'verify_email'), user, owned };
  });
  if (owned) return;
  await sendMail({
    to: user.email,
    template: { kind: 'verify_email', link: appLink('/verify-email', { token }) },
    locale: user.locale,
  });
}
