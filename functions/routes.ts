import { z } from 'zod';
import { route } from '../shared/http/route.ts';
import { IdParams } from '../shared/http/schemas.ts';
import { Me } from '../shared/users/public-user.ts';
import { VideoPage, VideoView } from '../shared/videos/schemas.ts';
import { AuthResponse, LoginBody, RefreshBody, RegisterBody } from './auth/schemas.ts';
import { CreateUploadUrlBody, FeedQuery, UpdateVideoBody, UploadUrlResponse } from './videos/schemas.ts';

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

  // videos ------------------------------------------------------------------
  createUploadUrl: route({
    method: 'POST',
    path: '/v1/videos/upload-url',
    domain: 'videos',
    auth: 'required',
    summary: 'Start an upload: a video row in `uploading` and a presigned PUT URL (15 min)',
    tags: ['videos'],
    body: CreateUploadUrlBody,
    response: UploadUrlResponse,
    status: 201,
  }),
  listVideos: route({
    method: 'GET',
    path: '/v1/videos',
    domain: 'videos',
    auth: 'optional',
    summary: 'The feed: newest public ready videos (keyset pagination; ?user_id, ?feed=following)',
    tags: ['videos'],
    query: FeedQuery,
    response: VideoPage,
  }),
  getVideo: route({
    method: 'GET',
    path: '/v1/videos/{id}',
    domain: 'videos',
    auth: 'optional',
    summary: 'One video (public+ready for anyone; owners see their own in any state)',
    tags: ['videos'],
    params: IdParams,
    response: VideoView,
  }),
  updateVideo: route({
    method: 'PATCH',
    path: '/v1/videos/{id}',
    domain: 'videos',
    auth: 'required',
    summary: 'Change caption or visibility (owner only)',
    tags: ['videos'],
    params: IdParams,
    body: UpdateVideoBody,
    response: VideoView,
  }),
  deleteVideo: route({
    method: 'DELETE',
    path: '/v1/videos/{id}',
    domain: 'videos',
    auth: 'required',
    summary: 'Delete a video (owner only); glitches made from it stay and show their source is gone',
    tags: ['videos'],
    params: IdParams,
  }),
};

export type Routes = typeof routes;
export type RouteName = keyof Routes;
