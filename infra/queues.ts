import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from './stage.ts';

/**
 * Where events land after a worker's retries are exhausted: kept the SQS maximum (14 days)
 * so a bad deploy can be fixed and the events replayed.
 */
export function createDeadLetterQueue(scope: Construct, id: string, config: StageConfig): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: config.removalPolicy,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself a dead-letter queue (an SQS redrive target or a Lambda on-failure ' +
      'destination, which cdk-nag does not recognise); an alarm fires on its first message (alarms.ts).',
  });
  return queue;
}

interface WorkQueueProps {
  /** How long a received message stays hidden: see `visibilityTimeoutFor`. */
  visibilityTimeout: Duration;
  /** Receives after which a message moves to the dead-letter queue. */
  maxReceiveCount: number;
}

/** A queue a Lambda consumes, with its own dead-letter queue (createDeadLetterQueue). */
export function createWorkQueue(
  scope: Construct,
  id: string,
  config: StageConfig,
  props: WorkQueueProps,
): { queue: sqs.Queue; deadLetterQueue: sqs.Queue } {
  const deadLetterQueue = createDeadLetterQueue(scope, `${id}Dlq`, config);
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: props.visibilityTimeout,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    removalPolicy: config.removalPolicy,
  });
  return { queue, deadLetterQueue };
}

/**
 * AWS's guidance for a queue that is a Lambda event source: at least six times the function's
 * timeout (plus the batching window), so a batch that is retried after throttling or a timeout
 * isn't handed to a second consumer while the first still works on it.
 */
export function visibilityTimeoutFor(
  functionTimeout: Duration,
  batchingWindow = Duration.seconds(0),
): Duration {
  return Duration.seconds(6 * functionTimeout.toSeconds() + batchingWindow.toSeconds());
}
