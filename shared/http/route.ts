import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { AuthUser } from '../auth/tokens.ts';
import type { ErrorCode } from './error-catalogue.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** required: 401 without a valid token. optional: anonymous allowed, a bad token is still 401. none: never read. */
export type AuthMode = 'required' | 'optional' | 'none';

/** One Lambda per domain; `functions/<domain>/index.ts` is each one's entry (CDK and the local gateway agree). */
export const DOMAINS = [
  'system',
  'auth',
  'users',
  'videos',
  'ai',
  'glitch',
  'studio',
  'likes',
  'comments',
  'follows',
  'notifications',
  'search',
  'hashtags',
  'webhooks',
  'account',
  'safety',
  'moderation',
] as const;
export type Domain = (typeof DOMAINS)[number];

/** Per-route API Gateway throttling class (see infra/api.ts). */
export type ThrottleClass = 'default' | 'auth' | 'ai' | 'webhook';

export interface RouteDef {
  method: HttpMethod;
  /** API Gateway path syntax: `/v1/videos/{id}`. */
  path: string;
  domain: Domain;
  auth: AuthMode;
  tags?: readonly string[];
  /** Kept for old clients (an alias); documented as deprecated. */
  deprecated?: boolean;
  /**
   * Error codes this route answers beyond the automatic ones (validation, auth, 500/503; see
   * automaticErrors in shared/http/error-catalogue.ts). Documented per status in OpenAPI; in
   * tests an answer with a code not listed here fails (LOKIZ_CHECK_ERROR_DOCS).
   */
  errors?: readonly ErrorCode[];
  /** Request headers the handler reads itself (documented, not validated by the edge). */
  headers?: z.ZodMiniType;
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  /** Every response body is serialised through this schema, which also strips unknown keys. */
  response?: z.ZodMiniType;
  /** Success status (default 200; 204 when there is no response schema). */
  status?: number;
  /** Largest accepted request body (default 64 KiB). */
  bodyLimitBytes?: number;
  /**
   * Keep the exact request bytes (webhook signatures); the body is then not validated by the
   * edge, and `body` only documents it.
   */
  rawBody?: boolean;
  throttle?: ThrottleClass;
  /** The route spends credits: unverified accounts get 403 `email_unverified` before it runs. */
  spendsCredits?: boolean;
}

/** Declares a route while keeping its literal types for handler inference. */
export function route<const R extends RouteDef>(def: R): R {
  return def;
}

type Infer<T, Fallback> = T extends z.ZodMiniType ? z.infer<T> : Fallback;

export interface RouteRequest<R extends RouteDef> {
  params: Infer<R['params'], Record<string, never>>;
  query: Infer<R['query'], Record<string, never>>;
  body: Infer<R['body'], undefined>;
  user: R['auth'] extends 'required' ? AuthUser : R['auth'] extends 'optional' ? AuthUser | null : null;
  requestId: string;
  /** The caller's IP (CloudFront's viewer address behind CloudFront, else API Gateway's source IP). */
  clientIp: string;
  /** The decoded request body exactly as received (for signature checks). */
  rawBody: string | undefined;
  event: APIGatewayProxyEventV2;
}

/** A response with a status or headers other than the route's defaults. */
export class Reply<B = unknown> {
  constructor(
    readonly status: number,
    readonly body: B,
    readonly headers: Record<string, string> = {},
  ) {}
}

type ResponseBody<R extends RouteDef> = R['response'] extends z.ZodMiniType
  ? z.input<R['response']>
  : undefined;

export type RouteHandler<R extends RouteDef> = (
  req: RouteRequest<R>,
) => Promise<
  ResponseBody<R> | Reply<ResponseBody<R>> | (R['response'] extends z.ZodMiniType ? never : undefined)
>;

/** The handlers a domain's Lambda must provide: exactly the routes of that domain. */
export type DomainHandlers<T extends Record<string, RouteDef>, D extends Domain> = {
  [K in keyof T as T[K]['domain'] extends D ? K : never]: RouteHandler<T[K]>;
};

/** `POST /v1/videos/{id}` — the same string API Gateway puts in `event.routeKey`. */
export function routeKey(r: Pick<RouteDef, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}

/**
 * A route's OpenAPI text. It lives in functions/<domain>/docs.ts, beside the route table, so that
 * the prose is in the document and not in the domain's Lambda, which never reads it.
 */
export interface RouteDoc {
  summary: string;
  /** What it does for the caller, its rules and limits (the OpenAPI operation description). */
  description: string;
}

/** One RouteDoc for every route of a table. */
export type RouteDocs<Table> = { readonly [K in keyof Table]: RouteDoc };
