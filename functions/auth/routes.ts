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
    tags: ['auth'],
    body: RefreshBody,
  }),
  me: route({
    method: 'GET',
    path: '/v1/auth/me',
    domain: 'auth',
    auth: 'required',
    summary: 'The signed-in account, with its credit balance',
    tags: ['auth'],
    response: Me,
  }),
};
