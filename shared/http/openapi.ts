import * as z from 'zod';
import type { RouteDef } from './route.ts';
import { ErrorResponse } from './schemas.ts';

type JsonSchema = Record<string, unknown>;

/**
 * Builds the OpenAPI 3.1 document from the route table. OpenAPI 3.1 schemas are JSON
 * Schema 2020-12, which zod 4 emits natively; schemas with `.meta({ id })` become
 * shared components.
 */
export function buildOpenApiDocument(
  table: Record<string, RouteDef>,
  serverUrl?: string,
): Record<string, unknown> {
  const components: Record<string, JsonSchema> = {};

  const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      unrepresentable: 'any',
      io,
    }) as JsonSchema;
    const { $defs, $schema: _ignored, ...rest } = json as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [id, def] of Object.entries($defs ?? {})) components[id] = rewriteRefs(def) as JsonSchema;
    return rewriteRefs(rest) as JsonSchema;
  };

  const errorRef = { $ref: '#/components/schemas/Error' };
  components.Error ??= toSchema(ErrorResponse, 'output');

  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, def] of Object.entries(table)) {
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', def.params],
      ['query', def.query],
    ] as const) {
      if (!schema) continue;
      const json = toSchema(schema, 'input') as {
        properties?: Record<string, JsonSchema>;
        required?: string[];
      };
      for (const [name, prop] of Object.entries(json.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (json.required ?? []).includes(name),
          schema: prop,
        });
      }
    }
    const status = String(def.status ?? (def.response ? 200 : 204));
    const responses: Record<string, unknown> = {
      [status]: def.response
        ? { description: 'OK', content: { 'application/json': { schema: toSchema(def.response, 'output') } } }
        : { description: 'No content' },
      '4XX': { description: 'Client error', content: { 'application/json': { schema: errorRef } } },
      '5XX': { description: 'Server error', content: { 'application/json': { schema: errorRef } } },
    };
    paths[def.path] ??= {};
    paths[def.path]![def.method.toLowerCase()] = {
      operationId,
      summary: def.summary,
      tags: def.tags ? [...def.tags] : [def.domain],
      ...(parameters.length ? { parameters } : {}),
      ...(def.body && !def.rawBody
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toSchema(def.body, 'input') } },
            },
          }
        : {}),
      ...(def.auth === 'required' ? { security: [{ bearerAuth: [] }] } : {}),
      ...(def.auth === 'optional' ? { security: [{ bearerAuth: [] }, {}] } : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'LOKIZ API',
      version: '1.0.0',
      description: 'Play like a trickster: upload short videos, remix them with AI (glitches), and share.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === '$ref' && typeof v === 'string'
          ? v.replace('#/$defs/', '#/components/schemas/')
          : rewriteRefs(v);
    }
    return out;
  }
  return value;
}
