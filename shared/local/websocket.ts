import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context } from 'aws-lambda';
import { WebSocket, WebSocketServer } from 'ws';
import {
  LIVE_LIMITS,
  LIVE_ROUTE_KEYS,
  LIVE_STAGE,
  type LiveRouteKey,
  TWO_WAY_ROUTE_KEYS,
  type WebSocketEvent,
  type WebSocketResult,
} from '../realtime/protocol.ts';
import { localLambdaContext, runInvocation } from './invocation.ts';
import { listenOn } from './ports.ts';

/**
 * A local stand-in for an API Gateway WebSocket API, attached to the local gateway's HTTP server
 * (its `upgrade` event), so `npm run dev` serves ws://…/live next to the HTTP API. Like API
 * Gateway it runs the same Lambda handler (functions/realtime/) for $connect (the handshake
 * waits for it: a non-200 refuses it), for each message (routed on its `action`, answered for the
 * two-way routes) and for $disconnect; it closes sockets idle for 10 minutes or open for 2 hours.
 *
 * Next to it runs a stand-in for the management API (`POST/GET/DELETE /@connections/{id}`, the
 * REST shape @aws-sdk/client-apigatewaymanagementapi speaks): fan-out's PostToConnection lands in
 * the local socket, a socket that is gone answers 410. Its log lines say it is a stand-in.
 */
export type LiveHandler = (event: WebSocketEvent, context?: Context) => Promise<WebSocketResult>;

export interface LocalWebSocketOptions {
  /** The local gateway's HTTP server. */
  server: Server;
  log?: (line: string) => void;
  /** The management API stand-in's port (default: any free port). */
  managementPort?: number;
  /** Defaults to functions/realtime/index.ts, the Lambda the stack deploys. */
  handler?: LiveHandler;
  /** API Gateway's limits; tests may shorten them. */
  idleSeconds?: number;
  maxConnectionSeconds?: number;
}

interface Socket {
  ws: WebSocket | undefined;
  /** Messages posted while $connect was still running (the handshake isn't complete yet). */
  pending: string[];
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string;
  timers: NodeJS.Timeout[];
}

export interface LocalWebSocket {
  /** ws://127.0.0.1:<port>/live — add `?token=<access token>`. */
  url: string;
  /** The management API stand-in, for WEBSOCKET_MANAGEMENT_URL. */
  managementUrl: string;
  /** Open sockets by connection id. */
  readonly connections: ReadonlyMap<string, unknown>;
  /** The next `count` management calls answer `status` (e.g. 500), to test retries. */
  failNextPosts(count: number, status?: number): void;
  close(): Promise<void>;
}

const STANDIN = '[apigw-management-standin] (offline stand-in, not API Gateway)';

/** API Gateway's connection ids look like `L0SM9cOFvHcCIhw=`. */
function newConnectionId(): string {
  return randomBytes(10).toString('base64');
}

function rejectHandshake(socket: Duplex, status: number, body = ''): void {
  const reason = status === 401 ? 'Unauthorized' : status === 429 ? 'Too Many Requests' : 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export async function attachLocalWebSocket(opts: LocalWebSocketOptions): Promise<LocalWebSocket> {
  const log = opts.log ?? (() => undefined);
  const idleMs = (opts.idleSeconds ?? LIVE_LIMITS.idleSeconds) * 1000;
  const maxMs = (opts.maxConnectionSeconds ?? LIVE_LIMITS.maxConnectionSeconds) * 1000;
  let loaded: Promise<LiveHandler> | undefined;
  const handler: LiveHandler = async (event) => {
    if (opts.handler) return opts.handler(event);
    loaded ??= import('../../functions/realtime/index.ts').then((m) => m.handler);
    const live = await loaded;
    // Each $connect, message and $disconnect is its own invocation (its own log context).
    const requestId = event.requestContext.requestId;
    return runInvocation(requestId, () => live(event, localLambdaContext('realtime', requestId)));
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIVE_LIMITS.maxMessageBytes });
  const sockets = new Map<string, Socket>();
  /** $disconnect calls still running (close() waits for them). */
  const inFlight = new Set<Promise<void>>();
  let faults: { count: number; status: number } = { count: 0, status: 500 };

  const address = opts.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  function event(
    connectionId: string,
    s: Socket,
    routeKey: string,
    extra: Partial<WebSocketEvent> = {},
  ): WebSocketEvent {
    const now = Date.now();
    const eventType =
      routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE';
    return {
      requestContext: {
        routeKey,
        messageId: randomBytes(8).toString('base64'),
        eventType,
        extendedRequestId: randomBytes(8).toString('base64'),
        requestTime: new Date(now).toUTCString(),
        messageDirection: 'IN',
        stage: LIVE_STAGE,
        connectedAt: s.connectedAt,
        requestTimeEpoch: now,
        requestId: randomBytes(8).toString('base64'),
        domainName: `127.0.0.1:${port}`,
        connectionId,
        apiId: 'local',
      },
      isBase64Encoded: false,
      ...extra,
    };
  }

  function armTimers(s: Socket): void {
    for (const t of s.timers) clearTimeout(t);
    const idle = setTimeout(() => s.ws?.close(1001, 'Going away (idle timeout)'), idleMs);
    const max = setTimeout(
      () => s.ws?.close(1001, 'Going away (maximum connection duration)'),
      Math.max(0, s.connectedAt + maxMs - Date.now()),
    );
    s.timers = [idle, max];
  }

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== `/${LIVE_STAGE}`) return rejectHandshake(socket, 404);
    const id = newConnectionId();
    const s: Socket = {
      ws: undefined,
      pending: [],
      connectedAt: Date.now(),
      lastActiveAt: Date.now(),
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      userAgent: String(req.headers['user-agent'] ?? ''),
      timers: [],
    };
    sockets.set(id, s);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
    let result: WebSocketResult;
    try {
      result = await handler(
        event(id, s, '$connect', {
          headers,
          queryStringParameters: Object.fromEntries(url.searchParams),
        }),
      );
    } catch (err) {
      log(`[local-websocket] $connect failed: ${String(err)}`);
      result = { statusCode: 500 };
    }
    if (result.statusCode !== 200) {
      sockets.delete(id);
      return rejectHandshake(socket, result.statusCode, result.body ?? '');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      s.ws = ws;
      for (const m of s.pending.splice(0)) ws.send(m);
      armTimers(s);
      // A protocol error (a message over 128 KiB: close 1009) must not take the dev server down.
      ws.on('error', (err) => log(`[local-websocket] ${id}: ${err.message}`));
      ws.on('message', (data, isBinary) => {
        s.lastActiveAt = Date.now();
        armTimers(s);
        void onMessage(id, s, isBinary ? Buffer.from(data as Buffer).toString('base64') : String(data));
      });
      ws.on('close', (code, reason) => {
        for (const t of s.timers) clearTimeout(t);
        sockets.delete(id);
        const disconnect = event(id, s, '$disconnect');
        // Present on real $disconnect events (not in @types/aws-lambda's shape).
        Object.assign(disconnect.requestContext, {
          disconnectStatusCode: code,
          disconnectReason: String(reason),
        });
        const done = handler(disconnect)
          .then(() => undefined)
          .catch((err) => log(`[local-websocket] $disconnect failed: ${String(err)}`))
          .finally(() => inFlight.delete(done));
        inFlight.add(done);
      });
    });
  }

  async function onMessage(id: string, s: Socket, body: string): Promise<void> {
    let action: unknown;
    try {
      action = (JSON.parse(body) as { action?: unknown })?.action;
    } catch {
      action = undefined;
    }
    // API Gateway falls back to $default when the selection expression finds no route.
    const routeKey =
      typeof action === 'string' &&
      (LIVE_ROUTE_KEYS as readonly string[]).includes(action) &&
      !action.startsWith('$')
        ? (action as LiveRouteKey)
        : '$default';
    try {
      const result = await handler(event(id, s, routeKey, { body }));
      const twoWay = (TWO_WAY_ROUTE_KEYS as readonly string[]).includes(routeKey);
      if (twoWay && result.body !== undefined && s.ws?.readyState === WebSocket.OPEN) s.ws.send(result.body);
    } catch (err) {
      log(`[local-websocket] ${routeKey} failed: ${String(err)}`);
      s.ws?.send(JSON.stringify({ message: 'Internal server error', connectionId: id }));
    }
  }

  const onUpgradeEvent = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    onUpgrade(req, socket, head).catch((err) => {
      log(`[local-websocket] upgrade failed: ${String(err)}`);
      socket.destroy();
    });
  };
  opts.server.on('upgrade', onUpgradeEvent);

  // ── the management API stand-in ────────────────────────────────────────────────────────────
  const management = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = /\/@connections\/([^/?]+)$/.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
      const answer = (status: number, body?: unknown, errorType?: string) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      if (!match) return answer(404, { message: 'Not Found' }, 'NotFoundException');
      if (faults.count > 0) {
        faults.count--;
        log(`${STANDIN} ${req.method} ${match[1]} → ${faults.status} (injected fault)`);
        return answer(faults.status, { message: 'Injected fault' }, 'InternalServerErrorException');
      }
      const id = decodeURIComponent(match[1]!);
      const s = sockets.get(id);
      if (!s) return answer(410, { message: 'Gone' }, 'GoneException');
      if (req.method === 'POST') {
        const data = Buffer.concat(chunks).toString('utf8');
        if (Buffer.byteLength(data) > LIVE_LIMITS.maxMessageBytes) {
          return answer(413, { message: 'Payload too large' }, 'PayloadTooLargeException');
        }
        if (s.ws) s.ws.send(data);
        else s.pending.push(data);
        log(`${STANDIN} PostToConnection ${id}: ${data.slice(0, 160)}`);
        return answer(200);
      }
      if (req.method === 'GET') {
        return answer(200, {
          ConnectedAt: new Date(s.connectedAt).toISOString(),
          LastActiveAt: new Date(s.lastActiveAt).toISOString(),
          Identity: { SourceIp: s.sourceIp, UserAgent: s.userAgent },
        });
      }
      if (req.method === 'DELETE') {
        log(`${STANDIN} DeleteConnection ${id}`);
        s.ws?.close(1000, 'Closed by the server');
        return answer(204);
      }
      return answer(405, { message: 'Method not allowed' });
    });
  });
  const managementPort = await listenOn(management, opts.managementPort).catch((err: unknown) => {
    opts.server.off('upgrade', onUpgradeEvent);
    wss.close();
    throw err;
  });
  const managementUrl = `http://127.0.0.1:${managementPort}`;
  log(`${STANDIN} listening at ${managementUrl}`);

  return {
    url: `ws://127.0.0.1:${port}/${LIVE_STAGE}`,
    managementUrl,
    connections: sockets,
    failNextPosts(count, status = 500) {
      faults = { count, status };
    },
    async close() {
      opts.server.off('upgrade', onUpgradeEvent);
      const closed: Promise<unknown>[] = [];
      for (const s of sockets.values()) {
        for (const t of s.timers) clearTimeout(t);
        if (s.ws) closed.push(new Promise((resolve) => s.ws!.once('close', resolve)));
        s.ws?.terminate();
      }
      await Promise.all(closed);
      wss.close();
      await Promise.all([...inFlight]);
      management.closeAllConnections();
      await new Promise<void>((resolve) => management.close(() => resolve()));
    },
  };
}
