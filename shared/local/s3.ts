import { mkdirSync } from 'node:fs';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import S3rver from 's3rver';
import { encodeS3EventKey } from '../storage/s3.ts';
import { assertPortFree } from './ports.ts';

/**
 * A real S3-protocol server (s3rver) for dev and tests. Its ObjectCreated notifications are
 * turned into S3 event records of the AWS shape (URL-encoded keys, as S3 sends them) and,
 * like the bucket's notification filter in the CDK stack, only for the given key prefix.
 *
 * s3rver does not verify SigV4 signatures: nothing local can prove a presigned URL's limits;
 * the pipeline checks the stored object's size and type itself (see upload processing).
 */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

interface S3rverEvent {
  Records: Array<{
    eventName: string;
    eventTime: string;
    s3: { bucket: { name: string }; object: { key: string; size: number; eTag: string; sequencer?: string } };
  }>;
}

export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startLocalS3(opts: {
  dir: string;
  bucket: string;
  port?: number;
  onObjectCreated?: { prefixes: readonly string[]; deliver: (event: S3Event) => void };
}): Promise<LocalS3> {
  mkdirSync(opts.dir, { recursive: true });
  const server = new S3rver({
    port: opts.port ?? 0,
    address: '127.0.0.1',
    directory: opts.dir,
    silent: true,
    configureBuckets: [
      {
        name: opts.bucket,
        configs: [
          Buffer.from(
            `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>` +
              `<AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>`,
          ),
        ],
      },
    ],
  });
  const target = opts.onObjectCreated;
  if (target) {
    (server as unknown as NodeJS.EventEmitter).on('event', (raw: S3rverEvent) => {
      const records = raw.Records.filter(
        (r) =>
          r.eventName.startsWith('ObjectCreated:') &&
          target.prefixes.some((p) => r.s3.object.key.startsWith(p)),
      ).map((r) => toAwsRecord(r, opts.bucket));
      if (records.length) target.deliver({ Records: records });
    });
  }
  // s3rver's listen has no error path: a taken port would be an uncaught 'error' event.
  if (opts.port) await assertPortFree(opts.port);
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => server.close(),
  };
}

function toAwsRecord(r: S3rverEvent['Records'][number], bucket: string): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: r.eventTime,
    eventName: r.eventName as S3EventRecord['eventName'],
    userIdentity: { principalId: 'local' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'local', 'x-amz-id-2': 'local' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'uploads-object-created',
      bucket: { name: bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket}` },
      object: {
        key: encodeS3EventKey(r.s3.object.key),
        size: r.s3.object.size,
        eTag: r.s3.object.eTag,
        sequencer: String(r.s3.object.sequencer ?? Date.now().toString(16).toUpperCase()),
      },
    },
  };
}
