import { route } from '../../shared/http/route.ts';
import { Me } from '../../shared/users/view.ts';
import { AuthResponse, LoginBody, RefreshBody, RegisterBody } from './schemas.ts';

/** The auth domain's entries of the route table (merged in functions/routes.ts). */
export const authRoutes = {
  register: route({
    method: 'POST',
    path: '/v1/auth/register',
    domain: 'auth',
    auth: 'none',
    summary: 'Create an account (100 free credits) and sign in',
    description:
      'Creates an account with 100 free credits (recorded in the credit ledger) and signs it in: the answer has the account and a token pair. Emails are case-insensitive; usernames are 3-30 letters, digits, `_` or `.`, unique whatever their case; passwords need 8+ characters and at most 72 bytes.',
    errors: ['email_taken', 'username_taken'],
    tags: ['auth'],
    body: RegisterBody,
    response: AuthResponse,
    status: 201,
    throttle: 'auth',
  }),
  login: route({
    method: 'POST',
    path: '/v1/auth/login',
    domain: 'auth',
    auth: 'none',
    summary: 'Sign in with email and password',
    description:
      'Signs in with email and password and starts a session: a 15-minute access token and a 30-day refresh token. Wrong email and wrong password answer the same.',
    errors: ['invalid_credentials'],
    tags: ['auth'],
    body: LoginBody,
    response: AuthResponse,
    throttle: 'auth',
  }),
  refresh: route({
    method: 'POST',
    path: '/v1/auth/refresh',
    domain: 'auth',
    auth: 'none',
    summary: 'Exchange a refresh token for new tokens (rotating; reuse revokes the session)',
    description:
      'Trades a refresh token for a new pair. Each refresh token works once: using one a second time revokes the whole session (someone copied it).',
    errors: ['invalid_refresh_token'],
    tags: ['auth'],
    body: RefreshBody,
    response: AuthResponse,
    throttle: 'auth',
  }),
  logout: route({
    method: 'POST',
    path: '/v1/auth/logout',
    domain: 'auth',
    auth: 'none',
    summary: 'Revoke the session a refresh token belongs to',
    description:
      'Ends the session the refresh token belongs to; its access token still works until it expires (15 min). Unknown tokens are fine: logging out twice is not an error.',
    tags: ['auth'],
    body: RefreshBody,
  }),
  me: route({
    method: 'GET',
    path: '/v1/auth/me',
    domain: 'auth',
    auth: 'required',
    summary: 'The signed-in account, with its credit balance',
    description: 'The signed-in account with what only its owner sees: email and credit balance.',
    tags: ['auth'],
    response: Me,
  }),
};
