import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { resetEnvCache } from '../../shared/config/env.ts';
import { getDb } from '../../shared/db/client.ts';
import { ORIGIN_SECRET_HEADER } from '../../shared/http/origin.ts';
import { registerLocalQueue } from '../../shared/queue/local-registry.ts';
import { MANAGEMENT_MAX_ATTEMPTS } from '../../shared/realtime/management.ts';
import { recordEvent } from '../../shared/realtime/outbox.ts';
import { type LiveEvent, MAX_CONNECTIONS_PER_USER } from '../../shared/realtime/protocol.ts';
import { registerUser, type TestUser, tokensOf } from '../harness/factories.ts';
import { useApi } from '../harness/http.ts';
import { type LiveClient, useLive } from '../harness/live.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { seedReadyVideos } from '../harness/seed.ts';

useLocalMedia();
const api = useApi();
const live = useLive(api);

/** Polls until `probe` holds; the test's timeout bounds it (nothing here asserts a speed). */
async function until(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) await new Promise((r) => setTimeout(r, 20));
}

const connectionsOf = (userId: string) =>
  getDb().selectFrom('live_connections').selectAll().where('user_id', '=', userId).execute();

async function ownerAndFan() {
  const owner = await registerUser(api);
  const fan = await registerUser(api);
  const [videoId] = await seedReadyVideos(owner.id, 1);
  return { owner, fan, videoId: videoId! };
}

async function like(fan: TestUser, videoId: string) {
  const res = await api.request('POST', `/v1/likes/videos/${videoId}`, { token: fan.accessToken });
  expect(res.status).toBe(200);
}

/** The outbox row of the notification event about `recipientId`'s newest notification. */
async function newestNotificationEvent(recipientId: string) {
  return getDb()
    .selectFrom('event_outbox')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .where('type', '=', 'notification.created')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
}

const isNotification = (m: { type: string }) => m.type === 'notification.created';

describe('live updates over the WebSocket API', () => {
  it('connect → a like → the owner’s socket gets the event → disconnect', async () => {
    const { owner, fan, videoId } = await ownerAndFan();
    const socket = await live.connect(owner.accessToken);
    const [row] = await connectionsOf(owner.id);
    expect(row).toBeDefined();
    // The connection lives until the token expires (900 s here), never past API Gateway's 2 h.
    const ttl = (row!.expires_at.getTime() - row!.connected_at.getTime()) / 1000;
    expect(ttl).toBeGreaterThan(800);
    expect(ttl).toBeLessThanOrEqual(900);

    await like(fan, videoId);
    const event = await socket.next<LiveEvent<'notification.created'>>(isNotification);
    const list = await api.request('GET', '/v1/notifications', { token: owner.accessToken });
    expect(event.data).toEqual({ notification_id: list.body.items[0].id, notification_type: 'like' });
    // Ids and types only: what the owner reads over HTTP, fetched with those ids.
    expect(Object.keys(event).sort()).toEqual(['created_at', 'data', 'id', 'type']);
    expect(event.id).toBe((await newestNotificationEvent(owner.id)).id);

    await socket.close();
    await until(async () => (await connectionsOf(owner.id)).length === 0);
  });

  it('tells every socket of the recipient and nobody else', async () => {
    const { owner, fan, videoId } = await ownerAndFan();
    const phone = await live.connect(owner.accessToken);
    const laptop = await live.connect(owner.accessToken);
    const fanSocket = await live.connect(fan.accessToken);
    await api.request('POST', `/v1/comments/videos/${videoId}`, {
      token: fan.accessToken,
      body: { body: 'nice' },
    });
    const [a, b] = await Promise.all([phone.next(isNotification), laptop.next(isNotification)]);
    expect(a).toEqual(b);
    expect((a as LiveEvent<'notification.created'>).data.notification_type).toBe('comment');
    await live.settle();
    expect(fanSocket.messages).toEqual([]);
  });

  it('a blocked user gets no events from the blocker (nor the other way), even ones recorded before the block', async () => {
    const { owner, fan, videoId } = await ownerAndFan();
    const ownerSocket = await live.connect(owner.accessToken);
    const fanSocket = await live.connect(fan.accessToken);
    // Recorded as an action would, then the fan blocks the owner before fan-out runs.
    const [toFan, toOwner] = await getDb()
      .transaction()
      .execute(async (trx) => [
        await recordEvent(trx, {
          type: 'notification.created',
          recipientId: fan.id,
          actorId: owner.id,
          data: { notification_id: randomUUID(), notification_type: 'like' },
        }),
        await recordEvent(trx, {
          type: 'notification.created',
          recipientId: owner.id,
          actorId: fan.id,
          data: { notification_id: randomUUID(), notification_type: 'like' },
        }),
      ]);
    const blocked = await api.request('POST', `/v1/blocks/users/${owner.id}`, { token: fan.accessToken });
    expect(blocked.status).toBe(200);
    live.live.queue.send(JSON.stringify({ kind: 'events', event_ids: [toFan, toOwner] }));
    await live.settle();
    // And a like across the block is refused, so it records nothing at all.
    expect(
      (await api.request('POST', `/v1/likes/videos/${videoId}`, { token: fan.accessToken })).status,
    ).toBe(404);
    await live.settle();
    expect(fanSocket.messages).toEqual([]);
    expect(ownerSocket.messages).toEqual([]);
    const rows = await getDb()
      .selectFrom('event_outbox')
      .select(['id', 'done_at', 'last_error'])
      .where('id', 'in', [toFan, toOwner])
      .execute();
    expect(rows.map((r) => [r.done_at !== null, r.last_error])).toEqual([
      [true, 'blocked'],
      [true, 'blocked'],
    ]);
  });

  it('refuses handshakes without a valid access token, and past the per-account limit', async () => {
    const user = await registerUser(api);
    expect((await live.refusal(undefined)).status).toBe(401);
    expect((await live.refusal('not-a-jwt')).status).toBe(401);
    // A refresh token is not an access token.
    expect((await live.refusal(user.refreshToken)).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ token_use: 'access' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer('lokiz')
      .setAudience('lokiz-app')
      .setIssuedAt(now - 1000)
      .setExpirationTime(now - 100)
      .sign(new TextEncoder().encode(process.env.JWT_SECRET));
    const refused = await live.refusal(expired);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body).error.code).toBe('token_expired');

    // A valid token of an account deleted since: refused, not a 500.
    const ghost = await registerUser(api);
    await getDb().deleteFrom('users').where('id', '=', ghost.id).execute();
    expect((await live.refusal(ghost.accessToken)).status).toBe(401);

    const sockets: LiveClient[] = [];
    for (let i = 0; i < MAX_CONNECTIONS_PER_USER; i++) sockets.push(await live.connect(user.accessToken));
    expect((await live.refusal(user.accessToken)).status).toBe(429);
    await sockets[0]!.close();
    await until(async () => (await connectionsOf(user.id)).length < MAX_CONNECTIONS_PER_USER);
    sockets.push(await live.connect(user.accessToken));
    expect(await connectionsOf(user.id)).toHaveLength(MAX_CONNECTIONS_PER_USER);
  });

  it('behind CloudFront, refuses a handshake without its origin header: the WebSocket API cannot skip the WAF', async () => {
    const user = await registerUser(api);
    const secret = randomBytes(24).toString('hex');
    process.env.ORIGIN_SECRET = secret;
    resetEnvCache();
    try {
      for (const headers of [
        undefined,
        { [ORIGIN_SECRET_HEADER]: 'guess' },
        { [ORIGIN_SECRET_HEADER]: `${secret}x` },
      ]) {
        const refused = await live.refusal(user.accessToken, headers);
        expect(refused.status).toBe(403);
        expect(JSON.parse(refused.body).error.code).toBe('forbidden');
      }
      expect(await connectionsOf(user.id)).toEqual([]);
      const socket = await live.connect(user.accessToken, { [ORIGIN_SECRET_HEADER]: secret });
      expect(await connectionsOf(user.id)).toHaveLength(1);
      await socket.close();
    } finally {
      delete process.env.ORIGIN_SECRET;
      resetEnvCache();
    }
  });

  it('answers ping with the expiry, renews with a fresh token of the same person, rejects anything else', async () => {
    const user = await registerUser(api);
    const other = await registerUser(api);
    const socket = await live.connect(user.accessToken);
    const [row] = await connectionsOf(user.id);
    const pong = await socket.ask<{ type: 'pong'; data: { expires_at: string } }>({ action: 'ping' }, 'pong');
    expect(new Date(pong.data.expires_at).getTime()).toBe(row!.expires_at.getTime());

    expect((await socket.ask<any>({ action: 'dance' }, 'error')).data.code).toBe('unknown_action');
    expect((await socket.ask<any>('not json', 'error')).data.code).toBe('unknown_action');
    expect((await socket.ask<any>({ action: 'renew' }, 'error')).data.code).toBe('bad_request');
    expect((await socket.ask<any>({ action: 'renew', token: other.accessToken }, 'error')).data.code).toBe(
      'invalid_token',
    );
    expect((await connectionsOf(user.id))[0]!.expires_at).toEqual(row!.expires_at);

    // A new sign-in's token moves the connection to that session.
    const login = await api.request('POST', '/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    const renewed = await socket.ask<any>(
      { action: 'renew', token: tokensOf(login.body).accessToken },
      'renewed',
    );
    const [after] = await connectionsOf(user.id);
    expect(new Date(renewed.data.expires_at).getTime()).toBe(after!.expires_at.getTime());
    expect(after!.session_id).not.toBe(row!.session_id);
    expect(after!.session_id).not.toBeNull();
  });

  it('stops the stream when the token expires, and the sweeper closes the socket', async () => {
    const { owner, fan, videoId } = await ownerAndFan();
    const socket = await live.connect(owner.accessToken);
    // The token's expiry, reached (the row holds it; waiting 15 minutes would say nothing more).
    await getDb()
      .updateTable('live_connections')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', owner.id)
      .execute();
    await like(fan, videoId);
    await live.settle();
    const event = await newestNotificationEvent(owner.id);
    expect(event.done_at).not.toBeNull();
    expect(socket.messages).toEqual([]);

    await live.live.sweep();
    expect(await socket.next((m) => m.type === 'session.closing')).toEqual({
      type: 'session.closing',
      data: { reason: 'expired' },
    });
    await socket.closed;
    await until(async () => (await connectionsOf(owner.id)).length === 0);
  });

  it('closes the sockets of a sign-in that is revoked (logout, refresh-token reuse), and only those', async () => {
    const { owner, fan, videoId } = await ownerAndFan();
    const login = tokensOf(
      (
        await api.request('POST', '/v1/auth/login', {
          body: { email: owner.email, password: owner.password },
        })
      ).body,
    );
    const first = await live.connect(owner.accessToken);
    const second = await live.connect(login.accessToken);

    const logout = await api.request('POST', '/v1/auth/logout', {
      body: { refresh_token: owner.refreshToken },
    });
    expect(logout.status).toBe(204);
    expect(await first.next((m) => m.type === 'session.closing')).toEqual({
      type: 'session.closing',
      data: { reason: 'revoked' },
    });
    await first.closed;
    // Its still-valid access token cannot open a new one.
    const refused = await live.refusal(owner.accessToken);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body).error.code).toBe('session_revoked');

    await like(fan, videoId);
    await second.next(isNotification);
    expect(second.messages.some((m) => m.type === 'session.closing')).toBe(false);

    // Presenting a spent refresh token revokes its family: that socket closes too.
    const rotated = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: login.refreshToken },
    });
    expect(rotated.status).toBe(200);
    const reuse = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: login.refreshToken },
    });
    expect(reuse.status).toBe(401);
    expect(await second.next((m) => m.type === 'session.closing')).toMatchObject({
      data: { reason: 'revoked' },
    });
    await second.closed;
  });
});

describe('delivery is at-least-once and never blocks the action', () => {
  it('an action whose wake-up fails still succeeds; the sweeper delivers the event later', async () => {
    const { owner, fan, videoId } = await ownerAndFan();
    const socket = await live.connect(owner.accessToken);
    const queueUrl = process.env.FANOUT_QUEUE_URL!;
    registerLocalQueue('local://broken-fanout', {
      send() {
        throw new Error('SQS is down');
      },
    });
    process.env.FANOUT_QUEUE_URL = 'local://broken-fanout';
    resetEnvCache();
    try {
      await like(fan, videoId);
    } finally {
      process.env.FANOUT_QUEUE_URL = queueUrl;
      resetEnvCache();
    }
    await live.settle();
    const pending = await newestNotificationEvent(owner.id);
    expect(pending.done_at).toBeNull();
    expect(socket.messages).toEqual([]);

    // Older than the sweeper's retry threshold (30 s), as a lost wake-up's event is when it runs.
    await sql`UPDATE event_outbox SET created_at = now() - interval '1 minute' WHERE id = ${pending.id}`.execute(
      getDb(),
    );
    await live.live.sweep();
    const event = await socket.next<LiveEvent>(isNotification);
    expect(event.id).toBe(pending.id);
    await live.settle();
    const done = await getDb()
      .selectFrom('event_outbox')
      .selectAll()
      .where('id', '=', pending.id)
      .executeTakeFirstOrThrow();
    expect(done.done_at).not.toBeNull();
  });

  it('a failed PostToConnection is retried with the same event id; a second wake-up sends nothing new', async () => {
    const { owner, fan, videoId } = await ownerAndFan();
    const socket = await live.connect(owner.accessToken);
    // Every try of the first attempt fails (the SDK retries 5xx itself), so fan-out's own retry is what delivers.
    live.live.websocket.failNextPosts(MANAGEMENT_MAX_ATTEMPTS, 500);
    await like(fan, videoId);
    const event = await socket.next<LiveEvent>(isNotification);
    await live.settle();
    const row = await getDb()
      .selectFrom('event_outbox')
      .selectAll()
      .where('id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(row.last_error).toBeTruthy();
    expect(row.done_at).not.toBeNull();

    // A duplicate wake-up (SQS delivers at least once) finds the event done.
    const received = socket.messages.length;
    live.live.queue.send(JSON.stringify({ kind: 'events', event_ids: [event.id] }));
    await live.settle();
    expect(socket.messages).toHaveLength(received);
    expect(new Set(socket.events('notification.created').map((e) => e.id))).toEqual(new Set([event.id]));
  });

  it('forgets a connection that answers 410 Gone and still reaches the live ones', async () => {
    const { owner, fan, videoId } = await ownerAndFan();
    const socket = await live.connect(owner.accessToken);
    // A socket that vanished without $disconnect (API Gateway runs it best effort).
    await getDb()
      .insertInto('live_connections')
      .values({
        connection_id: 'vanished0000=',
        user_id: owner.id,
        expires_at: new Date(Date.now() + 600_000),
      })
      .execute();
    await like(fan, videoId);
    await socket.next(isNotification);
    await live.settle();
    expect((await connectionsOf(owner.id)).map((c) => c.connection_id)).not.toContain('vanished0000=');
    expect(await connectionsOf(owner.id)).toHaveLength(1);
  });

  it('the sweeper sends a like window whose delayed wake-up never came', async () => {
    const { owner, fan, videoId } = await ownerAndFan();
    const token = randomBytes(32).toString('hex');
    const device = await api.request('POST', '/v1/notifications/devices', {
      token: owner.accessToken,
      body: { platform: 'ios', token },
    });
    expect(device.status).toBe(201);
    await like(fan, videoId);
    await live.settle();
    // Due, as if its delayed SQS message had been lost.
    await getDb()
      .updateTable('push_like_batches')
      .set({ send_after: new Date(Date.now() - 1000) })
      .where('recipient_id', '=', owner.id)
      .execute();
    await live.live.sweep();
    await live.settle();
    expect(live.live.sns.sent.filter((p) => p.token === token).map((p) => p.body)).toEqual([
      `@${fan.username} liked your video`,
    ]);
  });

  it('gives an event up after its attempts, as a failed sweep (which the alarm sees)', async () => {
    const user = await registerUser(api);
    const id = await recordEvent(getDb(), {
      type: 'ai_job.updated',
      recipientId: user.id,
      data: { job_id: randomUUID(), status: 'processing', result: 'none' },
    });
    await sql`UPDATE event_outbox SET created_at = now() - interval '1 hour', attempts = 10 WHERE id = ${id}`.execute(
      getDb(),
    );
    await expect(live.live.sweep()).rejects.toThrow(/given up/);
    const row = await getDb()
      .selectFrom('event_outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.done_at).not.toBeNull();
    expect(row.last_error).toBe('gave up after 10 attempts');
  });
});
