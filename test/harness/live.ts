import { afterAll, beforeAll } from 'vitest';
import { WebSocket } from 'ws';
import { resetEnvCache } from '../../shared/config/env.ts';
import { type LocalLive, startLocalLive } from '../../shared/local/live.ts';
import { type SnsStandIn, startSnsStandIn } from '../../shared/local/sns-standin.ts';
import { resetSnsClient } from '../../shared/push/sns.ts';
import type { LiveEvent, ServerMessage } from '../../shared/realtime/protocol.ts';
import type { Api } from './http.ts';

/** A real WebSocket client of the local WebSocket API, recording everything it receives. */
export class LiveClient {
  readonly messages: ServerMessage[] = [];
  /** Resolves with the close code once the socket is closed (by either side). */
  readonly closed: Promise<number>;
  private waiters: Array<{ test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      this.messages.push(message);
      for (const w of this.waiters.filter((w) => w.test(message))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(message);
      }
    });
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  }

  /** The first message (already received or still to come) that passes `test`; the test's timeout bounds the wait. */
  next<T extends ServerMessage>(test: (m: ServerMessage) => boolean): Promise<T> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen as T);
    return new Promise((resolve) =>
      this.waiters.push({ test, resolve: resolve as (m: ServerMessage) => void }),
    );
  }

  /** Events (messages with an id) of one type. */
  events<T extends LiveEvent['type']>(type: T): LiveEvent<T>[] {
    return this.messages.filter((m) => 'id' in m && m.type === type) as LiveEvent<T>[];
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends a message and waits for the answer of the given type. */
  async ask<T extends ServerMessage>(message: unknown, answerType: ServerMessage['type']): Promise<T> {
    const before = this.messages.length;
    this.send(message);
    return this.next<T>((m) => m.type === answerType && this.messages.indexOf(m) >= before);
  }

  async close(): Promise<void> {
    this.ws.close(1000);
    await this.closed;
  }
}

export interface LiveHandle {
  readonly live: LocalLive;
  /** Opens a socket with `?token=`; rejects with the HTTP status of a refused handshake. */
  connect(token: string | undefined, headers?: Record<string, string>): Promise<LiveClient>;
  /** The status a refused handshake answered (fails the test if the socket opened). */
  refusal(
    token: string | undefined,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: string }>;
  /** Waits until fan-out has nothing queued or in flight. */
  settle(): Promise<void>;
}

/**
 * Live updates and push for one test file: the local WebSocket API on the test gateway, the
 * fan-out queue and worker, the management API and SNS stand-ins. Call after useApi().
 */
export function useLive(api: Api): LiveHandle {
  let live: LocalLive;
  const clients: LiveClient[] = [];
  beforeAll(async () => {
    live = await startLocalLive({ server: api.server, visibilityDelayMs: 20, maxReceiveCount: 3 });
  });
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await live?.stop();
  });
  const open = (token: string | undefined, headers?: Record<string, string>) =>
    new WebSocket(
      `${live.websocket.url}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`,
      {
        headers,
      },
    );
  return {
    get live() {
      return live;
    },
    connect(token, headers) {
      const ws = open(token, headers);
      return new Promise((resolve, reject) => {
        ws.once('open', () => {
          const client = new LiveClient(ws);
          clients.push(client);
          resolve(client);
        });
        ws.once('unexpected-response', (_req, res) =>
          reject(new Error(`handshake refused: ${res.statusCode}`)),
        );
        ws.once('error', reject);
      });
    },
    refusal(token, headers) {
      const ws = open(token, headers);
      return new Promise((resolve, reject) => {
        ws.once('open', () => {
          ws.terminate();
          reject(new Error('the handshake was accepted'));
        });
        ws.once('unexpected-response', (_req, res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
        });
        ws.once('error', () => undefined);
      });
    },
    async settle() {
      await live.queue.idle();
    },
  };
}

/**
 * Only the SNS stand-in, for files that register devices but don't watch delivery (no fan-out):
 * POST /v1/notifications/devices then creates real (stand-in) platform endpoints.
 */
export function usePushStandIn(): { readonly sns: SnsStandIn } {
  let sns: SnsStandIn;
  const keys = ['SNS_ENDPOINT', 'PUSH_APNS_APPLICATION_ARN', 'PUSH_FCM_APPLICATION_ARN'] as const;
  const previous: Record<string, string | undefined> = {};
  beforeAll(async () => {
    sns = await startSnsStandIn();
    for (const k of keys) previous[k] = process.env[k];
    process.env.SNS_ENDPOINT = sns.url;
    process.env.PUSH_APNS_APPLICATION_ARN = sns.apnsApplicationArn;
    process.env.PUSH_FCM_APPLICATION_ARN = sns.fcmApplicationArn;
    resetEnvCache();
    resetSnsClient();
  });
  afterAll(async () => {
    for (const k of keys) {
      if (previous[k] === undefined) delete process.env[k];
      else process.env[k] = previous[k];
    }
    resetEnvCache();
    resetSnsClient();
    await sns?.close();
  });
  return {
    get sns() {
      return sns;
    },
  };
}
