import { z } from 'zod';
import { route } from '../shared/http/route.ts';
import { Me } from '../shared/users/public-user.ts';
import { AuthResponse, LoginBody, RefreshBody, RegisterBody } from './auth/schemas.ts';

/**
 * THE route table: the single source of truth for the API Gateway routes (infra/api.ts),
 * the local gateway (shared/local/gateway.ts) and the OpenAPI document (shared/http/openapi.ts).
 * Adding a route = one entry here + a handler in functions/<domain>/ (the type checker
 * insists that every route of a domain has one).
 */
export const routes = {
  // system ------------------------------------------------------------------
  health: route({
    method: 'GET',
    path: '/health',
    domain: 'system',
    auth: 'none',
    summary: 'Liveness and database reachability',
    tags: ['system'],
    response: z.object({ status: z.literal('ok'), database: z.literal('ok') }),
  }),
  openapi: route({
    method: 'GET',
    path: '/openapi.json',
    domain: 'system',
    auth: 'none',
    summary: 'This OpenAPI 3.1 document',
    tags: ['system'],
    response: z.record(z.string(), z.unknown()),
  }),

  // auth --------------------------------------------------------------------
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

export type Routes = typeof routes;
export type RouteName = keyof Routes;
