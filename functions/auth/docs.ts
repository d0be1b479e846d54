import type { RouteDocs } from '../../shared/http/route.ts';
import type { authRoutes } from './routes.ts';

/** The OpenAPI text of the auth routes: read by the document generator, never bundled into a Lambda. */
export const authDocs = {
  register: {
    summary:
      'Create an account and sign in; a verification link is mailed (verifying grants 100 credits). ' +
      'The answer is the same whether or not the email is already registered.',
    description:
      'Creates an account and signs it in: the answer is the flat OAuth 2.0 token response with the account beside it. A verification link is mailed; verifying grants the 100 sign-up credits (recorded in the credit ledger). The answer is the same whether or not the email is already registered (its owner is mailed instead). Emails are case-insensitive; usernames are 3-30 letters, digits, `_` or `.`, unique whatever their case; passwords need 8+ characters, at most 72 bytes, and must not be a common password. At most 5 accounts per network per hour (429 `signup_rate_limited`).',
  },
  login: {
    summary: 'Sign in with email and password (accounts whose email is verified)',
    description:
      'Signs in with email and password and starts a session: a 15-minute access token and a 30-day refresh token. Wrong email, wrong password and an unverified sign-up answer the same. After 5 failed attempts for an email each new one waits longer (1 s, doubling, up to 60 s: 429 `login_backoff`), and 10 failures in 15 minutes lock it for 15 minutes (429 `login_locked`); `Retry-After` says how long. A suspended account answers 403 `account_suspended`.',
  },
  refresh: {
    summary: 'Exchange a refresh token for new tokens (rotating; reuse revokes the session)',
    description:
      'Trades a refresh token for a new pair. Each refresh token works once: using one a second time revokes the whole session (someone copied it).',
  },
  logout: {
    summary: 'Revoke the session a refresh token belongs to (its access tokens stop working at once)',
    description:
      'Ends the session the refresh token belongs to; its access tokens stop working at once. Unknown tokens are fine: logging out twice is not an error.',
  },
  me: {
    summary: 'The signed-in account, with its credit balance',
    description: 'The signed-in account with what only its owner sees: email and credit balance.',
  },
  verifyEmail: {
    summary:
      'Follow a verification link (single use, 24 h): grants the 100 sign-up credits once, and signs in',
    description:
      "Verifies the account's email with the token from the mailed link (single use, valid 24 hours), grants the 100 sign-up credits (once, in the credit ledger) and signs in: the flat token response. A used, expired or unknown token is `invalid_link`; an address another account verified first is `email_taken`.",
  },
  resendVerification: {
    summary: 'Mail a new verification link (at most one a minute and five a day)',
    description:
      'Mails a new verification link to the signed-in account (earlier links keep working until they expire). At most one a minute and five a day per account: beyond that, 429 with `Retry-After`.',
  },
  forgotPassword: {
    summary: 'Mail a password reset link (single use, 30 min); the answer is always the same',
    description:
      'Mails a password reset link (single use, valid 30 minutes) when the address has an account. The answer is the same whether or not it has one, and after 3 mails an hour to one account the rest are answered the same but not sent.',
  },
  resetPassword: {
    summary: 'Set a new password with a reset link; every session is signed out',
    description:
      "Sets a new password with the token from the reset mail (single use, 30 minutes) and signs out every session of the account: sign in again with the new password. The password rules are register's (8+ characters, at most 72 bytes, not a common password).",
  },
} satisfies RouteDocs<typeof authRoutes>;
