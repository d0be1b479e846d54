import type { Server } from 'node:http';
import type { ScheduledEvent, SQSEvent } from 'aws-lambda';
import { resetEnvCache } from '../config/env.ts';
import { resetSnsClient } from '../push/sns.ts';
import { resetManagementClient } from '../realtime/management.ts';
import { localLambdaContext, newRequestId, runInvocation } from './invocation.ts';
import { type SnsStandIn, startSnsStandIn } from './sns-standin.ts';
import { LocalQueue } from './sqs.ts';
import { listenOrExplain } from './startup-error.ts';
import { attachLocalWebSocket, type LocalWebSocket } from './websocket.ts';

/**
 * Live updates and push, locally: the fan-out queue delivers SQS events to the same fan-out
 * worker, which posts to sockets through the management API stand-in (the WebSocket server on the
 * local gateway) and pushes through the OFFLINE SNS STAND-IN. `sweep()` runs the outbox sweeper
 * as EventBridge would; `npm run dev` calls it every minute.
 */
export interface LocalLive {
  queue: LocalQueue;
  websocket: LocalWebSocket;
  sns: SnsStandIn;
  sweep(): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startLocalLive(opts: {
  /** The local gateway's HTTP server: ws://…/live is served on it. */
  server: Server;
  log?: (line: string) => void;
  visibilityDelayMs?: number;
  maxReceiveCount?: number;
  /** The stand-ins' ports (default: any free port). */
  snsPort?: number;
  managementPort?: number;
}): Promise<LocalLive> {
  const log = opts.log ?? (() => undefined);
  const queue = new LocalQueue({
    name: 'lokiz-fanout',
    handler: async (event: SQSEvent) => {
      const { handler } = await import('../../functions/workers/fanout.ts');
      const requestId = newRequestId();
      return runInvocation(requestId, () => handler(event, localLambdaContext('fanout', requestId, 60_000)));
    },
    batchSize: 10,
    maxReceiveCount: opts.maxReceiveCount ?? 5,
    visibilityDelayMs: opts.visibilityDelayMs ?? 1000,
    log,
  });
  const websocket = await listenOrExplain(
    'The WebSocket management stand-in',
    'MANAGEMENT_STANDIN_PORT',
    opts.managementPort ?? 0,
    () => attachLocalWebSocket({ server: opts.server, managementPort: opts.managementPort, log }),
  );
  const sns = await listenOrExplain('The SNS stand-in', 'SNS_STANDIN_PORT', opts.snsPort ?? 0, () =>
    startSnsStandIn({ port: opts.snsPort, log }),
  ).catch(async (err: unknown) => {
    await websocket.close();
    throw err;
  });

  const env = {
    FANOUT_QUEUE_URL: queue.url,
    WEBSOCKET_MANAGEMENT_URL: websocket.managementUrl,
    SNS_ENDPOINT: sns.url,
    PUSH_APNS_APPLICATION_ARN: sns.apnsApplicationArn,
    PUSH_FCM_APPLICATION_ARN: sns.fcmApplicationArn,
  };
  const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  resetEnvCache();
  resetManagementClient();
  resetSnsClient();

  return {
    queue,
    websocket,
    sns,
    async sweep() {
      const { handler } = await import('../../functions/workers/fanout-sweeper.ts');
      const requestId = newRequestId();
      return runInvocation(requestId, () =>
        handler({} as ScheduledEvent, localLambdaContext('fanout-sweeper', requestId, 60_000)),
      );
    },
    async stop() {
      queue.close();
      await websocket.close();
      await sns.close();
      // What comes after in this process (a test file) must not reach the stopped stand-ins.
      for (const [k, v] of Object.entries(previous)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetEnvCache();
      resetManagementClient();
      resetSnsClient();
    },
  };
}
