import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { routeDocs } from '../../../functions/docs.ts';
import { routes } from '../../../functions/routes.ts';
import { OPENAPI_DOCUMENT_FILE } from '../../../functions/system/openapi.ts';
import { ERROR_CODES } from '../../../shared/http/error-catalogue.ts';
import { buildOpenApiDocument } from '../../../shared/http/openapi.ts';
import type { RouteDef } from '../../../shared/http/route.ts';
import { currentOpenApiText } from '../../../shared/local/write-openapi.ts';
import { useApi } from '../../harness/http.ts';

/**
 * The OpenAPI document, as /openapi.json serves it: valid OpenAPI 3.1 for a real validator, and
 * complete for its readers. Each failure lists every operation that needs fixing and how: route
 * entries live in functions/<domain>/routes.ts (errors), their text in docs.ts beside it, examples in the zod schemas
 * (`.meta({ examples: [...] })`), error codes in shared/http/error-catalogue.ts.
 */
// A JSON document walked by path: any, as in other tests (biome allows it here).
type Json = any;
const api = useApi();
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

async function servedDocument(): Promise<Json> {
  const res = await api.request('GET', '/openapi.json');
  expect(res.status).toBe(200);
  return res.body;
}

function operations(doc: Json): Array<{ key: string; op: Json; def: RouteDef }> {
  const out: Array<{ key: string; op: Json; def: RouteDef }> = [];
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op)
        out.push({
          key: `${method.toUpperCase()} ${path}`,
          op,
          def: (routes as Record<string, RouteDef>)[op.operationId]!,
        });
    }
  }
  return out;
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refsIn(v, found);
    }
  }
  return found;
}

/** Validates examples against their schemas, with the document's components for `$ref`s. */
function exampleChecker(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return (schema: Json, example: unknown): string | undefined => {
    const validate = ajv.compile({ ...schema, components: doc.components });
    return validate(example) ? undefined : ajv.errorsText(validate.errors);
  };
}

describe('GET /openapi.json', () => {
  it('serves functions/system/openapi.json, which is what `npm run openapi` makes of the route table now', async () => {
    const current = currentOpenApiText();
    expect(currentOpenApiText(), 'the document is generated deterministically').toBe(current);
    const onDisk = readFileSync(OPENAPI_DOCUMENT_FILE, 'utf8');
    // A route or schema changed without the document: `npm run openapi` (or `npm run dev`) rewrites it.
    expect(onDisk === current, 'functions/system/openapi.json is stale: run `npm run openapi`').toBe(true);
    expect(await servedDocument()).toEqual(JSON.parse(onDisk));
  });

  it('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator) with one operation per route', async () => {
    const doc = await servedDocument();
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(routes, routeDocs))));
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors, JSON.stringify(result.errors, null, 2)).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(
      operations(doc)
        .map((o) => o.op.operationId)
        .sort(),
    ).toEqual(Object.keys(routes).sort());
  });

  it('has a real Error component, no self-references, and every $ref resolves', async () => {
    const doc = await servedDocument();
    const schemas = doc.components.schemas;
    const selfRefs = Object.entries<Json>(schemas)
      .filter(([name, schema]) => refsIn(schema).includes(`#/components/schemas/${name}`) && schema.$ref)
      .map(([name]) => name);
    expect(selfRefs, 'components that are only a $ref to themselves').toEqual([]);
    expect(schemas.Error.properties.error.properties).toMatchObject({
      code: { type: 'string' },
      message: { type: 'string' },
      request_id: { type: 'string' },
    });
    const unresolved = refsIn(doc).filter((ref) => !(ref.replace('#/components/schemas/', '') in schemas));
    expect([...new Set(unresolved)]).toEqual([]);
  });

  it('describes every operation', async () => {
    const missing = operations(await servedDocument())
      .filter(({ op }) => routeDocs[op.operationId as keyof typeof routeDocs].description.length < 30)
      .map(({ key, op }) => `${key} (${op.operationId}): describe it in its domain's docs.ts`);
    expect(missing, missing.join('\n')).toEqual([]);
  });

  it('shows a realistic example for every request and response body, valid against its schema', async () => {
    const doc = await servedDocument();
    const check = exampleChecker(doc);
    const problems: string[] = [];
    for (const { key, op } of operations(doc)) {
      const bodies: Array<[string, Json]> = [];
      const request = op.requestBody?.content?.['application/json'];
      if (request) bodies.push(['request body', request]);
      for (const [status, res] of Object.entries<Json>(op.responses)) {
        const content = res.content?.['application/json'];
        if (!content) continue;
        if (Number(status) < 400) bodies.push([`${status} response`, content]);
        else {
          for (const [name, ex] of Object.entries<Json>(content.examples ?? {})) {
            const invalid = check(content.schema, ex.value);
            if (invalid) problems.push(`${key} ${status} example "${name}": ${invalid}`);
          }
        }
      }
      for (const [what, media] of bodies) {
        if (media.example === undefined) {
          problems.push(
            `${key} ${what}: no example; add .meta({ examples: [...] }) to its zod schema (or its fields)`,
          );
          continue;
        }
        const invalid = check(media.schema, media.example);
        if (invalid) problems.push(`${key} ${what}: the example does not match the schema: ${invalid}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
    const text = JSON.stringify(doc);
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
    expect(text).not.toContain(String(Number.MIN_SAFE_INTEGER));
  });

  it('documents the errors each operation can answer, per status, with their codes and examples', async () => {
    const problems: string[] = [];
    for (const { key, op, def } of operations(await servedDocument())) {
      const need = new Set<string>(['429', '500']);
      if (def.params || def.query || (def.body && !def.rawBody)) need.add('400');
      if (def.auth !== 'none') need.add('401');
      if (/\{(id|username)\}/.test(def.path)) need.add('404');
      for (const code of def.errors ?? []) need.add(String(ERROR_CODES[code].status));
      for (const status of need) {
        const res = op.responses[status];
        if (!res) {
          problems.push(`${key}: no ${status} response; list its codes in \`errors\` of the route entry`);
          continue;
        }
        const content = res.content['application/json'];
        const codes = Object.keys(content.examples).filter((c) => c !== 'throttled');
        for (const code of codes) {
          if (!res.description.includes(`\`${code}\``))
            problems.push(`${key} ${status}: \`${code}\` not in the description`);
          if (content.examples[code].value.error.code !== code)
            problems.push(`${key} ${status}: example ${code} is wrong`);
        }
        if (status !== '429' && codes.length === 0) problems.push(`${key} ${status}: no error code`);
      }
      for (const status of Object.keys(op.responses)) {
        if (Number(status) >= 400 && !/^\d{3}$/.test(status))
          problems.push(`${key}: vague ${status} response`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('documents true bounds, the webhook signature headers and how to get a token', async () => {
    const doc = await servedDocument();
    const problems: string[] = [];
    for (const { key, op } of operations(doc)) {
      for (const p of op.parameters ?? []) {
        if (p.name === 'limit' && !(p.schema.maximum <= 50))
          problems.push(`${key}: limit maximum ${p.schema.maximum}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
    const feedLimit = doc.paths['/v1/videos'].get.parameters.find((p: Json) => p.name === 'limit');
    expect(feedLimit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 50, default: 20 });

    const webhook = doc.paths['/v1/webhooks/replicate'].post;
    const headers = webhook.parameters.filter((p: Json) => p.in === 'header');
    expect(headers.map((h: Json) => [h.name, h.required])).toEqual([
      ['webhook-id', true],
      ['webhook-timestamp', true],
      ['webhook-signature', true],
    ]);
    for (const h of headers) expect(h.description.length, h.name).toBeGreaterThan(20);
    expect(webhook.requestBody.content['application/json'].example).toMatchObject({ status: 'succeeded' });

    const bearer = doc.components.securitySchemes.bearerAuth;
    expect(bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(bearer.description).toContain('POST /v1/auth/login');
    expect(bearer.description).toContain('POST /v1/auth/refresh');
  });
});
