import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AVATAR_INBOX_PREFIX, UPLOADS_PREFIX } from '../shared/storage/keys.ts';
import { SOUNDTRACK_QUEUE_ENV } from '../shared/studio/soundtrack-queue.ts';
import { type FunctionName, sizingOf } from './function-sizing.ts';
import { createLokizFunction, type LambdaRuntime } from './functions.ts';
import { createDeadLetterQueue, createWorkQueue, visibilityTimeoutFor } from './queues.ts';
import { grantMediaAccess, STORAGE_ACCESS } from './storage-access.ts';

/** Who sends soundtrack requests: the studio (POST …/music) and the reconciler (lost messages). */
export const SOUNDTRACK_SENDERS: readonly FunctionName[] = ['studio', 'reconciler'];
/** SQS → apply-soundtrack: one transcode per invocation, a few at a time (DB connections, cost). */
export const SOUNDTRACK_EVENTS = { batchSize: 1, maxConcurrency: 5 };
/** A request whose worker failed this often lands in the DLQ (the reconciler fails it after 5 runs). */
export const SOUNDTRACK_MAX_RECEIVES = 5;

interface MediaPipelineProps {
  runtime: LambdaRuntime;
  bucket: s3.Bucket;
}

/**
 * Upload → playback rendition: S3 ObjectCreated under `uploads/` invokes the process-upload worker
 * asynchronously (ffmpeg from the layer; sizing in FUNCTION_SIZING); events that still fail
 * after Lambda's retries go to a dead-letter queue.
 * Music → a new revision of a video: the studio enqueues `{soundtrack_id}` (shared/studio/
 * soundtrack-queue.ts) and the apply-soundtrack worker makes it through the same pipeline.
 */
export class MediaPipeline extends Construct {
  readonly processUpload: lambda.Function;
  readonly deadLetterQueue: sqs.Queue;
  readonly applySoundtrack: lambda.Function;
  readonly soundtrackQueue: sqs.Queue;
  readonly soundtrackDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: MediaPipelineProps) {
    super(scope, id);
    const { runtime, bucket } = props;

    this.processUpload = createLokizFunction(this, 'ProcessUploadFunction', runtime, {
      service: 'process-upload',
      jwt: false,
    });

    this.deadLetterQueue = createDeadLetterQueue(this, 'ProcessUploadDlq', runtime.config);
    // Every step is idempotent, so retries are safe. Events wait while the reserved concurrency is
    // busy transcoding (a burst of long videos): six hours before one is given up to the DLQ.
    this.processUpload.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    grantMediaAccess(this.processUpload, bucket, STORAGE_ACCESS['process-upload']!);
    const destination = new LambdaDestination(this.processUpload);
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, destination, { prefix: UPLOADS_PREFIX });
    // Avatar uploads: the same worker, which dispatches on the prefix.
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, destination, { prefix: AVATAR_INBOX_PREFIX });

    this.applySoundtrack = createLokizFunction(this, 'ApplySoundtrackFunction', runtime, {
      service: 'apply-soundtrack',
      jwt: false,
    });
    const soundtracks = createWorkQueue(this, 'SoundtrackQueue', runtime.config, {
      visibilityTimeout: visibilityTimeoutFor(sizingOf('apply-soundtrack').timeout),
      maxReceiveCount: SOUNDTRACK_MAX_RECEIVES,
    });
    this.soundtrackQueue = soundtracks.queue;
    this.soundtrackDeadLetterQueue = soundtracks.deadLetterQueue;
    this.applySoundtrack.addEventSource(
      new SqsEventSource(this.soundtrackQueue, { ...SOUNDTRACK_EVENTS, reportBatchItemFailures: true }),
    );
  }

  /** SOUNDTRACK_QUEUE_URL and sqs:SendMessage for the SOUNDTRACK_SENDERS among `functions`. */
  connectSoundtrackSenders(functions: ReadonlyMap<FunctionName, lambda.Function>): void {
    for (const name of SOUNDTRACK_SENDERS) {
      const fn = functions.get(name);
      if (!fn) continue;
      fn.addEnvironment(SOUNDTRACK_QUEUE_ENV, this.soundtrackQueue.queueUrl);
      this.soundtrackQueue.grantSendMessages(fn);
    }
  }
}
