import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bundleFunction } from '../../infra/bundling.ts';
import type { FunctionName } from '../../infra/function-sizing.ts';
import { repoPath } from '../../infra/paths.ts';
import { getDb } from '../../shared/db/client.ts';
import { httpApiEvent, lambdaContext } from '../harness/events.ts';
import { lastMailTo } from '../harness/mail.ts';
import { seedReadyVideos } from '../harness/seed.ts';

/**
 * The deployed bundles themselves, not the sources: built by `bundleFunction` exactly as `cdk
 * deploy` builds them (infra/left-out-modules.ts stubs in place, lazy chunks beside index.mjs),
 * imported, and driven through their handlers with real events against the test database. A
 * route that reached a left-out module would answer 500 here ("… is left out of this Lambda's
 * bundle"), and a lazy chunk that did not load would fail its first use.
 */
// Inside node_modules, so the bundles' external `@aws-sdk/*` imports resolve (Lambda provides them).
// Signing a private media URL is computed offline: a bucket name and any credentials do.
process.env.MEDIA_BUCKET ??= 'lokiz-bundled-handlers';
process.env.AWS_ACCESS_KEY_ID ??= 'bundled-handlers-test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'bundled-handlers-test';
const root = repoPath('node_modules', '.cache', 'lokiz-bundled-handlers', String(process.pid));
type ApiHandler = (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

async function deployed<T>(name: FunctionName): Promise<T> {
  const dir = join(root, name);
  await bundleFunction(name, dir);
  return (await import(pathToFileURL(join(dir, 'index.mjs')).href)).handler as T;
}

const chunksOf = (name: FunctionName) =>
  readdirSync(join(root, name, 'chunks')).filter((f) => f.endsWith('.mjs'));

async function call(handler: ApiHandler, event: Parameters<typeof httpApiEvent>[0]) {
  const res = await handler(httpApiEvent(event), lambdaContext());
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

/** A new account, registered through the built auth bundle: `{ access_token, user }` in `body`. */
function registerThroughAuthBundle(prefix: string) {
  const s = randomBytes(4).toString('hex');
  return call(auth, {
    method: 'POST',
    path: '/v1/auth/register',
    body: JSON.stringify({
      email: `${prefix}_${s}@example.test`,
      username: `${prefix}_${s}`,
      password: 'glitch-me-please-7',
    }),
  });
}

let auth: ApiHandler;
let videos: ApiHandler;
let studio: ApiHandler;
let moderation: ApiHandler;
let migrate: () => Promise<string[]>;

beforeAll(async () => {
  [auth, videos, studio, moderation, migrate] = await Promise.all([
    deployed<ApiHandler>('auth'),
    deployed<ApiHandler>('videos'),
    deployed<ApiHandler>('studio'),
    deployed<ApiHandler>('moderation'),
    deployed<() => Promise<string[]>>('migrate'),
  ]);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('deployed bundles, run', () => {
  it('auth: registers (bcrypt and the mail copy from their chunks), then signs in and reads the account', async () => {
    expect(chunksOf('auth')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^bcryptjs-/), expect.stringMatching(/^templates-/)]),
    );
    const s = randomBytes(4).toString('hex');
    const email = `bundled_${s}@example.test`;
    const password = 'glitch-me-please-7';
    const registered = await call(auth, {
      method: 'POST',
      path: '/v1/auth/register',
      body: JSON.stringify({ email, username: `bundled_${s}`, password }),
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect((await lastMailTo(email))?.subject).toBe('Verify your LOKIZ email address');

    const me = await call(auth, {
      method: 'GET',
      path: '/v1/auth/me',
      headers: { authorization: `Bearer ${registered.body.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, email_verified: false });

    // A wrong password goes through bcrypt's compare in the same chunk.
    const wrong = await call(auth, {
      method: 'POST',
      path: '/v1/auth/login',
      body: JSON.stringify({ email, password: `${password}-not` }),
    });
    expect(wrong.status).toBe(401);
  });

  it('videos: serves the feed and a missing video through kysely without its left-out modules', async () => {
    const viewer = await registerThroughAuthBundle('viewer');
    // The AWS sample event carries `Bearer foo`: a signed-in viewer, as the feed is mostly read.
    const headers = { authorization: `Bearer ${viewer.body.access_token}` };
    // Other test files share the database, so the feed's first page may hold anyone's videos.
    const [seeded] = await seedReadyVideos(viewer.body.user.id, 1);
    const feed = await call(videos, { method: 'GET', path: '/v1/videos', query: { limit: '5' }, headers });
    expect(feed.status, JSON.stringify(feed.body)).toBe(200);
    expect(feed.body.items.length).toBeGreaterThan(0);
    const one = await call(videos, {
      method: 'GET',
      path: `/v1/videos/${seeded}`,
      route: '/v1/videos/{id}',
      pathParameters: { id: seeded! },
      headers,
    });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.id).toBe(seeded);
    // A seeded row has a pre-CDN key: its URL is signed, by the S3 presigner loaded on first use.
    expect(one.body.thumbnail_url).toMatch(/X-Amz-Signature=/);
    const missing = await call(videos, {
      method: 'GET',
      path: '/v1/videos/00000000-0000-4000-8000-000000000000',
      route: '/v1/videos/{id}',
      pathParameters: { id: '00000000-0000-4000-8000-000000000000' },
      headers,
    });
    expect(missing.status).toBe(404);
  });

  it("studio: its ffmpeg routes' work comes from lazy chunks, and runs from them", async () => {
    expect(chunksOf('studio')).toEqual(
      expect.arrayContaining(
        ['request-soundtrack-', 'timeline-', 'range-preview-', 'clip-'].map((name) =>
          expect.stringMatching(new RegExp(`^${name}`)),
        ),
      ),
    );
    const owner = await registerThroughAuthBundle('studio');
    const [video] = await seedReadyVideos(owner.body.user.id, 1);
    // Music onto the video: the request reads the video and the music job in the chunk's code.
    const missingJob = '00000000-0000-4000-8000-000000000001';
    const music = await call(studio, {
      method: 'POST',
      path: `/v1/studio/videos/${video}/music`,
      route: '/v1/studio/videos/{id}/music',
      pathParameters: { id: video! },
      headers: { authorization: `Bearer ${owner.body.access_token}` },
      body: JSON.stringify({ music_job_id: missingJob, mode: 'replace' }),
    });
    expect(
      [music.status, music.body.error.code, music.body.error.message],
      JSON.stringify(music.body),
    ).toEqual([404, 'not_found', expect.stringContaining('Music job')]);
  });

  it("moderation: a takedown's media moves and a suspension's recounts load from their lazy chunks", async () => {
    expect(chunksOf('moderation')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^takedown-media-/),
        expect.stringMatching(/^suspension-counts-/),
      ]),
    );
    const staff = await registerThroughAuthBundle('staff');
    await getDb()
      .updateTable('users')
      .set({ role: 'moderator' })
      .where('id', '=', staff.body.user.id)
      .execute();
    // The chunk loads before the transaction opens, so a missing video answers from past it.
    const missing = '00000000-0000-4000-8000-000000000002';
    const takedown = await call(moderation, {
      method: 'POST',
      path: `/v1/moderation/videos/${missing}/take-down`,
      route: '/v1/moderation/videos/{id}/take-down',
      pathParameters: { id: missing },
      headers: { authorization: `Bearer ${staff.body.access_token}` },
      body: JSON.stringify({ reason: 'bundle check' }),
    });
    expect([takedown.status, takedown.body.error.code], JSON.stringify(takedown.body)).toEqual([
      404,
      'not_found',
    ]);
    // A suspension and its end run their recounts from the other chunk.
    const spammer = await registerThroughAuthBundle('spammer');
    for (const action of ['suspend', 'unsuspend']) {
      const res = await call(moderation, {
        method: 'POST',
        path: `/v1/moderation/users/${spammer.body.user.id}/${action}`,
        route: `/v1/moderation/users/{id}/${action}`,
        pathParameters: { id: spammer.body.user.id },
        headers: { authorization: `Bearer ${staff.body.access_token}` },
        body: JSON.stringify({ reason: 'bundle check' }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  });

  describe('migrate, on an empty database', () => {
    const database = `lokiz_bundled_${randomBytes(4).toString('hex')}`;
    const sharedUrl = process.env.DATABASE_URL;
    beforeAll(async () => {
      const admin = new pg.Client({ connectionString: `${inject('postgresServerUrl')}/postgres` });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
    });
    afterAll(() => {
      process.env.DATABASE_URL = sharedUrl;
    });

    it('applies every migration from its lazy chunk with the schema builder it keeps', async () => {
      expect(chunksOf('migrate')).toEqual(expect.arrayContaining([expect.stringMatching(/^all-/)]));
      // The bundle reads its config on first use: this import has not used it yet.
      process.env.DATABASE_URL = `${inject('postgresServerUrl')}/${database}`;
      const applied = await migrate();
      expect(applied.length).toBeGreaterThan(10);
      expect(applied).toEqual([...applied].sort());
      await expect(migrate()).resolves.toEqual([]);
    });
  });
});
