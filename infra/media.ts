import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AVATAR_INBOX_PREFIX, UPLOADS_PREFIX } from '../shared/storage/keys.ts';
import { createLokizFunction, type LambdaRuntime } from './functions.ts';
import { createDeadLetterQueue } from './queues.ts';
import { grantMediaAccess, STORAGE_ACCESS } from './storage-access.ts';

interface MediaPipelineProps {
  runtime: LambdaRuntime;
  bucket: s3.Bucket;
}

/**
 * Upload → playback rendition: S3 ObjectCreated under `uploads/` invokes the process-upload worker
 * asynchronously (ffmpeg from the layer; sizing in FUNCTION_SIZING); events that still fail
 * after Lambda's retries go to a dead-letter queue.
 */
export class MediaPipeline extends Construct {
  readonly processUpload: NodejsFunction;
  readonly deadLetterQueue: sqs.Queue;

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
  }
}
