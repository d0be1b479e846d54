import type { SQSEvent } from 'aws-lambda';
import { OUTPUT_QUEUE_ENV } from '../ai/output-queue.ts';
import { resetReplicateClient } from '../ai/replicate.ts';
import { resetEnvCache } from '../config/env.ts';
import { localLambdaContext, newRequestId, runInvocation } from './invocation.ts';
import { ReplicateStandIn } from './replicate-standin/index.ts';
import { LocalQueue } from './sqs.ts';

/**
 * The AI pipeline, locally: the jobs queue delivers SQS events to the same dispatcher
 * handler, the outputs queue to the output-copier's, and when no REPLICATE_API_TOKEN is set the OFFLINE REPLICATE STAND-IN (real
 * media from ffmpeg, signed webhooks) takes Replicate's place. Webhooks go to the local
 * gateway at `apiUrl`, exactly as Replicate would call API Gateway.
 */
export interface LocalAi {
  queue: LocalQueue;
  /** Succeeded jobs whose output is to be copied into the bucket (the output-copier's queue). */
  outputs: LocalQueue;
  standIn: ReplicateStandIn | undefined;
  stop(): Promise<void>;
}

export async function startLocalAi(opts: {
  apiUrl: string;
  log?: (line: string) => void;
  visibilityDelayMs?: number;
  maxReceiveCount?: number;
  /** The stand-in's port (default: any free port). */
  standInPort?: number;
}): Promise<LocalAi> {
  const queue = new LocalQueue({
    name: 'lokiz-ai-jobs',
    handler: async (event: SQSEvent) => {
      const { handler } = await import('../../functions/workers/ai-dispatcher.ts');
      const requestId = newRequestId();
      return runInvocation(requestId, () =>
        handler(event, localLambdaContext('ai-dispatcher', requestId, 60_000)),
      );
    },
    batchSize: 5,
    maxReceiveCount: opts.maxReceiveCount ?? 5,
    visibilityDelayMs: opts.visibilityDelayMs ?? 1000,
    log: opts.log,
  });
  const outputs = new LocalQueue({
    name: 'lokiz-ai-outputs',
    handler: async (event: SQSEvent) => {
      const { handler } = await import('../../functions/workers/output-copier.ts');
      const requestId = newRequestId();
      return runInvocation(requestId, () =>
        handler(event, localLambdaContext('output-copier', requestId, 60_000)),
      );
    },
    batchSize: 5,
    maxReceiveCount: opts.maxReceiveCount ?? 5,
    visibilityDelayMs: opts.visibilityDelayMs ?? 1000,
    log: opts.log,
  });
  process.env.AI_JOBS_QUEUE_URL = queue.url;
  process.env[OUTPUT_QUEUE_ENV] = outputs.url;
  process.env.PUBLIC_API_URL = opts.apiUrl;

  let standIn: ReplicateStandIn | undefined;
  if (!process.env.REPLICATE_API_TOKEN && !process.env.REPLICATE_API_TOKEN_ARN) {
    standIn = new ReplicateStandIn({ log: opts.log ?? (() => undefined) });
    const { url } = await standIn.start({ port: opts.standInPort });
    process.env.REPLICATE_API_TOKEN = 'offline-stand-in';
    process.env.REPLICATE_BASE_URL = `${url}/v1`;
    process.env.REPLICATE_WEBHOOK_SECRET = standIn.webhookSecret;
  }
  resetEnvCache();
  resetReplicateClient();
  return {
    queue,
    outputs,
    standIn,
    async stop() {
      queue.close();
      outputs.close();
      await standIn?.close();
    },
  };
}
