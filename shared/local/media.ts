import type { Context, S3Event, SQSEvent } from 'aws-lambda';
import { resetEnvCache } from '../config/env.ts';
import { resetRekognitionClient } from '../screening/rekognition.ts';
import { AVATAR_INBOX_PREFIX, UPLOADS_PREFIX } from '../storage/keys.ts';
import { resetS3Client } from '../storage/s3.ts';
import { SOUNDTRACK_QUEUE_ENV } from '../studio/soundtrack-queue.ts';
import { PROCESSING_BUDGET_MS } from '../videos/limits.ts';
import { AsyncInvoker } from './async-invoker.ts';
import { localLambdaContext, newRequestId, runInvocation } from './invocation.ts';
import { startRekognitionStandIn } from './rekognition-standin.ts';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from './s3.ts';
import { LocalQueue } from './sqs.ts';

/**
 * Local S3 wired like the stack: ObjectCreated under uploads/ and avatars/inbox/ → the
 * process-upload Lambda, invoked asynchronously with Lambda's retry behaviour.
 */
export async function startLocalMedia(opts: {
  dir: string;
  bucket: string;
  port?: number;
  invoker: AsyncInvoker;
  /** Where the stand-ins say what they are (the dev runtime's log; tests stay quiet). */
  log?: (line: string) => void;
}): Promise<LocalS3> {
  const processUpload = async (event: S3Event, context: Context) => {
    const { handler } = await import('../../functions/workers/process-upload.ts');
    await handler(event, context);
  };
  const s3 = await startLocalS3({
    dir: opts.dir,
    bucket: opts.bucket,
    port: opts.port,
    onObjectCreated: {
      prefixes: [UPLOADS_PREFIX, AVATAR_INBOX_PREFIX],
      deliver: (event) => opts.invoker.invoke('process-upload', processUpload, event),
    },
  });
  process.env.MEDIA_BUCKET = opts.bucket;
  process.env.S3_ENDPOINT = s3.endpoint;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = LOCAL_S3_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_S3_CREDENTIALS.secretAccessKey;
  // Image screening reads the same bucket: Rekognition's offline stand-in lives as long as it.
  const rekognition = await startRekognitionStandIn({ log: opts.log });
  process.env.REKOGNITION_ENDPOINT = rekognition.endpoint;
  resetEnvCache();
  resetS3Client();
  resetRekognitionClient();
  return {
    endpoint: s3.endpoint,
    stop: async () => {
      await rekognition.close();
      await s3.stop();
    },
  };
}

/** The deployed worker's timeout (infra/function-sizing.ts): the upload pipeline's budget + 2 min. */
const SOUNDTRACK_TIMEOUT_MS = PROCESSING_BUDGET_MS + 120_000;

/**
 * The soundtrack queue, locally: SQS-shaped events to the same apply-soundtrack handler (batches of one,
 * redelivery, a dead-letter list), as infra/media.ts wires it. Sets SOUNDTRACK_QUEUE_URL for the senders.
 */
export function startLocalSoundtracks(
  opts: { visibilityDelayMs?: number; maxReceiveCount?: number; log?: (line: string) => void } = {},
): LocalQueue {
  const queue = new LocalQueue({
    name: 'lokiz-soundtracks',
    handler: async (event: SQSEvent) => {
      const { handler } = await import('../../functions/workers/apply-soundtrack.ts');
      // Each delivery is its own invocation, with its own log context (as in Lambda).
      const requestId = newRequestId();
      return runInvocation(requestId, () =>
        handler(event, localLambdaContext('apply-soundtrack', requestId, SOUNDTRACK_TIMEOUT_MS)),
      );
    },
    batchSize: 1,
    maxReceiveCount: opts.maxReceiveCount ?? 5,
    visibilityDelayMs: opts.visibilityDelayMs ?? 1000,
    log: opts.log,
  });
  process.env[SOUNDTRACK_QUEUE_ENV] = queue.url;
  resetEnvCache();
  return queue;
}

export { AsyncInvoker };
