import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { authenticateToken } from '../auth/sessions.ts';
import type { AuthUser } from '../auth/tokens.ts';
import { getDb } from '../db/client.ts';
import {
  BadRequestError,
  EmailUnverifiedError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.ts';
import type { RouteDef } from './route.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

export interface ParsedRequest {
  params: unknown;
  query: unknown;
  body: unknown;
  rawBody: string | undefined;
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  // API Gateway lower-cases header names in payload v2; be lenient for hand-made events.
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
}

function validate(schema: z.ZodMiniType, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((i) => ({
      in: where,
      path: i.path.map(String).join('.'),
      code: i.code,
      message: i.message,
    })),
  );
}

function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const mediaType = value.split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

/** Decodes, size-checks, JSON-parses and zod-validates path, query and body for a route. */
export function parseRequest(route: RouteDef, event: APIGatewayProxyEventV2): ParsedRequest {
  const limit = route.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  let rawBody: string | undefined;
  if (event.body !== undefined && event.body !== null && event.body !== '') {
    const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
    if (bytes.byteLength > limit) throw new PayloadTooLargeError(limit);
    rawBody = bytes.toString('utf8');
  }

  const params = route.params ? validate(route.params, event.pathParameters ?? {}, 'params') : {};
  const query = route.query ? validate(route.query, event.queryStringParameters ?? {}, 'query') : {};

  let body: unknown;
  if (route.body && !route.rawBody) {
    if (rawBody === undefined) {
      throw new BadRequestError('A JSON request body is required', undefined, 'body_required');
    }
    if (!isJsonContentType(header(event, 'content-type')))
      throw new UnsupportedMediaTypeError('application/json');
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      throw new BadRequestError('Request body is not valid JSON', undefined, 'invalid_json');
    }
    body = validate(route.body, json, 'body');
  }
  return { params, query, body, rawBody };
}

/** Resolves the caller for the route's auth mode. */
export async function authenticate(route: RouteDef, event: APIGatewayProxyEventV2): Promise<AuthUser | null> {
  if (route.auth === 'none') return null;
  const value = header(event, 'authorization');
  if (!value) {
    if (route.auth === 'optional') return null;
    throw new UnauthorizedError();
  }
  const match = /^Bearer\s+([A-Za-z0-9\-_.]+)$/i.exec(value.trim());
  if (!match) throw new UnauthorizedError('Authorization header must be "Bearer <token>"', 'invalid_token');
  // A present but invalid token is an error even on optional routes: the client should
  // refresh rather than silently see the logged-out view.
  const user = await authenticateToken(getDb(), match[1]!);
  // Unverified accounts browse, like, comment and upload, but spend no credits: refused here,
  // before the handler runs, so nothing else happens first.
  if (route.spendsCredits && !user.emailVerified) throw new EmailUnverifiedError();
  return user;
}
