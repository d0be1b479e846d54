import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as authHandler } from '../../../functions/auth/index.ts';
import { routes } from '../../../functions/routes.ts';
import { handler as systemHandler } from '../../../functions/system/index.ts';
import { resetEnvCache } from '../../../shared/config/env.ts';
import { closeDb } from '../../../shared/db/client.ts';
import { freePort } from '../../../shared/local/ports.ts';
import { httpApiEvent, lambdaContext } from '../../harness/events.ts';
import { useApi } from '../../harness/http.ts';

const api = useApi();

async function invoke(h: typeof systemHandler, event: ReturnType<typeof httpApiEvent>) {
  return (await h(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
}

describe('health and docs', () => {
  it('GET /health reports the database as reachable', async () => {
    const res = await api.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok' });
    expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
  });

  it('GET /openapi.json documents every route of the table, and /docs serves Swagger UI', async () => {
    const res = await api.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const [operationId, def] of Object.entries(routes)) {
      const op = res.body.paths[def.path]?.[def.method.toLowerCase()];
      expect(op?.operationId, `${def.method} ${def.path}`).toBe(operationId);
    }
    expect(res.body.components.schemas.Me.properties).toHaveProperty('credits');
    expect(res.text).not.toContain('password_hash');
    expect(res.body.paths['/v1/auth/me'].get.security).toEqual([{ bearerAuth: [] }]);
    const refs = JSON.stringify(res.body).match(/"\$ref":"([^"]+)"/g) ?? [];
    for (const ref of refs) {
      const name = ref.replace(/.*\/(\w+)"$/, '$1');
      expect(res.body.components.schemas, ref).toHaveProperty(name);
    }
    const docs = await api.request('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(docs.text).toContain('swagger-ui');
    const bundle = await fetch(`${api.url}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    await bundle.arrayBuffer();
  });
});

describe('Lambda handlers with the real API Gateway event shape', () => {
  it('serves a route from the AWS sample event', async () => {
    const res = await invoke(systemHandler, httpApiEvent({ method: 'GET', path: '/health' }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toEqual({ status: 'ok', database: 'ok' });
  });

  it('decodes a base64-encoded body as API Gateway sends binary-safe payloads', async () => {
    const body = Buffer.from(
      JSON.stringify({ email: 'nobody@example.test', password: 'whatever1' }),
    ).toString('base64');
    const res = await invoke(
      authHandler,
      httpApiEvent({ method: 'POST', path: '/v1/auth/login', body, isBase64Encoded: true }),
    );
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body!).error.code).toBe('invalid_credentials');
  });

  it('answers a route key of another domain with 404, not a crash', async () => {
    const res = await invoke(systemHandler, httpApiEvent({ method: 'GET', path: '/v1/auth/me' }));
    expect(res.statusCode).toBe(404);
  });

  it('answers 503 with a clear message when the database is unreachable, then recovers', async () => {
    const goodUrl = process.env.DATABASE_URL!;
    const deadPort = await freePort();
    try {
      await closeDb();
      process.env.DATABASE_URL = `postgres://postgres:x@127.0.0.1:${deadPort}/lokiz`;
      resetEnvCache();
      const health = await invoke(systemHandler, httpApiEvent({ method: 'GET', path: '/health' }));
      expect(health.statusCode).toBe(503);
      const body = JSON.parse(health.body!);
      expect(body.error.code).toBe('database_unavailable');
      expect(body.error.message).toMatch(/database is unavailable/);
      expect(health.headers?.['retry-after']).toBe('5');
      expect(health.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
      const login = await invoke(
        authHandler,
        httpApiEvent({
          method: 'POST',
          path: '/v1/auth/login',
          body: JSON.stringify({ email: 'a@example.test', password: 'whatever1' }),
        }),
      );
      expect(login.statusCode).toBe(503);
    } finally {
      await closeDb();
      process.env.DATABASE_URL = goodUrl;
      resetEnvCache();
    }
    const recovered = await invoke(systemHandler, httpApiEvent({ method: 'GET', path: '/health' }));
    expect(recovered.statusCode).toBe(200);
  });
});
