import type { Context, S3Event } from 'aws-lambda';
import { resetEnvCache } from '../config/env.ts';
import { resetRekognitionClient } from '../screening/rekognition.ts';
import { AVATAR_INBOX_PREFIX, UPLOADS_PREFIX } from '../storage/keys.ts';
import { resetS3Client } from '../storage/s3.ts';
import { AsyncInvoker } from './async-invoker.ts';
import { startRekognitionStandIn } from './rekognition-standin.ts';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from './s3.ts';

/**
 * Local S3 wired like the stack: ObjectCreated under uploads/ and avatars/inbox/ → the
 * process-upload Lambda,
 * invoked asynchronously with Lambda's retry behaviour.
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

export { AsyncInvoker };
