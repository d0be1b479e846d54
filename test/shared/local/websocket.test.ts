import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { attachLocalWebSocket, type LocalWebSocket } from '../../../shared/local/websocket.ts';
import type { WebSocketEvent } from '../../../shared/realtime/protocol.ts';

/**
 * The local WebSocket API's own limits (API Gateway's: 10 min idle, 2 h per connection, 128 KiB
 * per message), with a stand-in handler and the durations shortened: what is tested is that each
 * limit closes the socket the way API Gateway does, not how fast.
 */
let server: Server;
let local: LocalWebSocket;
const events: WebSocketEvent[] = [];

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  local = await attachLocalWebSocket({
    server,
    idleSeconds: 2,
    maxConnectionSeconds: 4,
    handler: async (event) => {
      events.push(event);
      if (event.requestContext.routeKey === 'ping') return { statusCode: 200, body: '{"type":"pong"}' };
      return { statusCode: event.queryStringParameters?.token === 'ok' ? 200 : 401 };
    },
  });
});
afterAll(async () => {
  await local.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function open(token: string): Promise<WebSocket> {
  const ws = new WebSocket(`${local.url}?token=${token}`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(String(res.statusCode))));
  });
}

const closeOf = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );

describe('local WebSocket API limits', () => {
  it('refuses the handshake with the status $connect answered', async () => {
    await expect(open('bad')).rejects.toThrow('401');
  });

  it('closes a connection nobody sends on (idle timeout), and runs $disconnect', async () => {
    const ws = await open('ok');
    const closed = await closeOf(ws);
    expect(closed).toEqual({ code: 1001, reason: 'Going away (idle timeout)' });
    const id = events.findLast((e) => e.requestContext.routeKey === '$connect')!.requestContext.connectionId;
    await expect
      .poll(() =>
        events.some(
          (e) => e.requestContext.routeKey === '$disconnect' && e.requestContext.connectionId === id,
        ),
      )
      .toBe(true);
  });

  it('keeps a pinging connection past the idle timeout, but not past the maximum duration', async () => {
    const ws = await open('ok');
    const pongs: string[] = [];
    ws.on('message', (m) => pongs.push(String(m)));
    const timer = setInterval(() => ws.send('{"action":"ping"}'), 200);
    const closed = await closeOf(ws);
    clearInterval(timer);
    expect(closed).toEqual({ code: 1001, reason: 'Going away (maximum connection duration)' });
    expect(pongs.length).toBeGreaterThan(0);
  });

  it('closes a connection that sends a message over 128 KiB', async () => {
    const ws = await open('ok');
    const closed = closeOf(ws);
    ws.send(JSON.stringify({ action: 'ping', pad: 'x'.repeat(128 * 1024) }));
    expect((await closed).code).toBe(1009);
  });
});
