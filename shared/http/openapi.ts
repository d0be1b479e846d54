import type * as z from 'zod/mini';
import { documentedErrors, ERROR_CODES, type ErrorCode } from './error-catalogue.ts';
import { declaredExample, exampleOf, fieldOf, type JsonSchema, schemaConverter } from './openapi-schema.ts';
import type { RouteDef, RouteDoc } from './route.ts';
import { ErrorResponse, GatewayError } from './schemas.ts';

/**
 * The OpenAPI 3.1 document, built from the route table and its zod schemas: parameters, bodies
 * and responses with examples, every error a route answers (per status, with its `code`s) and
 * the bearer scheme. test/functions/system/openapi.test.ts validates it.
 */
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in, or not allowed in',
  402: 'Not enough credits',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Wrong content type',
  422: 'Not possible for this input',
  429: 'Too many requests',
  500: 'Server error',
  503: 'Temporarily unavailable',
};

const RESPONSE_HEADERS: Record<number, Record<string, unknown>> = {
  401: { 'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
  503: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
};

const AUTH_NOTE = {
  required: '**Auth:** a bearer access token (the Authorize button).',
  optional:
    '**Auth:** optional. With a token, the answer includes what concerns you (likes, follows, your own unlisted items).',
  none: '**Auth:** none.',
} as const;

const EXAMPLE_REQUEST_ID = 'Vb4kQ2xYp0s1Lm9T';

const BEARER_DESCRIPTION = [
  'An access token (JWT, HS256, valid 15 minutes). Get one with `POST /v1/auth/register` or',
  '`POST /v1/auth/login`: the answer has `tokens.access_token`. Paste it here as it is (without',
  '"Bearer "). When it expires (401 `token_expired`), `POST /v1/auth/refresh` with',
  '`tokens.refresh_token` gives a new pair.',
].join(' ');

const API_DESCRIPTION = `Play like a trickster: upload short videos, remix them with AI (glitches), and share.

**Errors** are always \`{"error": {"code", "message", "details"?, "request_id"}}\`: \`code\` is stable and
documented per operation and status below; \`message\` is for people; quote \`request_id\` when reporting a
problem. API Gateway's own throttling answers 429 \`{"message": "Too Many Requests"}\`.

**Lists** are keyset-paginated: pass \`next_cursor\` back as \`cursor\`; \`limit\` is 1-50 (larger values are
clamped to 50).`;

function errorResponses(def: RouteDef): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of documentedErrors(def) as Set<ErrorCode>) {
    const { status } = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  // Every route is behind API Gateway's throttling.
  if (!byStatus.has(429)) byStatus.set(429, []);
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const examples: Record<string, unknown> = {};
    for (const code of codes) {
      const doc: { meaning: string; message: string; details?: unknown } = ERROR_CODES[code];
      examples[code] = {
        summary: doc.meaning,
        value: {
          error: {
            code,
            message: doc.message,
            ...(doc.details === undefined ? {} : { details: doc.details }),
            request_id: EXAMPLE_REQUEST_ID,
          },
        },
      };
    }
    const errorRef = { $ref: '#/components/schemas/Error' };
    const gatewayRef = { $ref: '#/components/schemas/GatewayError' };
    if (status === 429)
      examples.throttled = { summary: "API Gateway's throttle", value: { message: 'Too Many Requests' } };
    const list = codes.map((c) => `\`${c}\`: ${ERROR_CODES[c].meaning}`);
    if (status === 429) list.push('API Gateway\'s throttle: `{"message": "Too Many Requests"}`');
    responses[String(status)] = {
      description: `${STATUS_TEXT[status] ?? 'Error'}. ${list.join('; ')}.`,
      ...(RESPONSE_HEADERS[status] ? { headers: RESPONSE_HEADERS[status] } : {}),
      content: {
        'application/json': {
          schema: status !== 429 ? errorRef : codes.length ? { oneOf: [errorRef, gatewayRef] } : gatewayRef,
          examples,
        },
      },
    };
  }
  return responses;
}

export function buildOpenApiDocument(
  table: Record<string, RouteDef>,
  docs: Record<string, RouteDoc>,
  serverUrl?: string,
): Record<string, unknown> {
  const components: Record<string, JsonSchema> = {};
  const toSchema = schemaConverter(components);
  // Both have `.meta({ id })`: converting them registers the components.
  toSchema(ErrorResponse, 'output');
  toSchema(GatewayError, 'output');
  const withExample = (zodSchema: z.ZodMiniType, io: 'input' | 'output') => {
    const schema = toSchema(zodSchema, io);
    const example = declaredExample(zodSchema) ?? exampleOf(schema, components);
    return { schema, ...(example === undefined ? {} : { example }) };
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, def] of Object.entries(table)) {
    const doc = docs[operationId];
    if (!doc) throw new Error(`route ${operationId} has no entry in its domain's docs.ts`);
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', def.params],
      ['query', def.query],
      ['header', def.headers],
    ] as const) {
      if (!schema) continue;
      const json = toSchema(schema, 'input') as {
        properties?: Record<string, JsonSchema>;
        required?: string[];
      };
      for (const [name, prop] of Object.entries(json.properties ?? {})) {
        const { description, examples, ...rest } = prop as JsonSchema & {
          description?: string;
          examples?: unknown[];
        };
        const example = examples?.[0] ?? declaredExample(fieldOf(schema, name));
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (json.required ?? []).includes(name),
          ...(description ? { description } : {}),
          schema: rest,
          ...(example === undefined ? {} : { example }),
        });
      }
    }
    const status = String(def.status ?? (def.response ? 200 : 204));
    const success = def.response
      ? { description: 'OK', content: { 'application/json': withExample(def.response, 'output') } }
      : { description: 'Done (no content)' };
    paths[def.path] ??= {};
    paths[def.path]![def.method.toLowerCase()] = {
      operationId,
      summary: doc.summary,
      description: [doc.description, AUTH_NOTE[def.auth]].filter(Boolean).join('\n\n'),
      tags: def.tags ? [...def.tags] : [def.domain],
      ...(def.deprecated ? { deprecated: true } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(def.body
        ? {
            requestBody: {
              required: true,
              ...(def.rawBody
                ? { description: 'Verified against its signature as raw bytes, then parsed.' }
                : {}),
              content: { 'application/json': withExample(def.body, 'input') },
            },
          }
        : {}),
      ...(def.auth === 'required' ? { security: [{ bearerAuth: [] }] } : {}),
      ...(def.auth === 'optional' ? { security: [{ bearerAuth: [] }, {}] } : {}),
      responses: { [status]: success, ...errorResponses(def) },
    };
  }

  return {
    openapi: '3.1.0',
    info: { title: 'LOKIZ API', version: '1.0.0', description: API_DESCRIPTION },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: BEARER_DESCRIPTION },
      },
    },
  };
}
