import { Aws, Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type FunctionName, sizingOf } from './function-sizing.ts';
import { pascal } from './route-table.ts';
import type { StageConfig } from './stage.ts';

interface AlarmsProps {
  config: StageConfig;
  /** Its 5xx rate is watched. */
  api: IHttpApi;
  /** Every LOKIZ Lambda: one errors/throttles alarm each. */
  functions: ReadonlyMap<FunctionName, lambda.IFunction>;
  /** Every dead-letter queue: a message there is work that failed for good until someone replays it. */
  deadLetterQueues: Record<string, sqs.IQueue>;
  /**
   * Functions whose failures get their own alarm over a longer window (the reconciler: it is the
   * safety net); their per-function alarm then watches throttles only, so a failure alarms once.
   */
  failingFunctions: Partial<Record<FunctionName, lambda.IFunction>>;
  /** Work queues whose oldest message must not wait longer than `maxAge` (the consumer is behind or failing). */
  slowQueues?: Record<string, { queue: sqs.IQueue; maxAge: Duration }>;
}

/** Errors counted over this window; the reconciler runs three times in it. */
export const FUNCTION_ERROR_PERIOD = Duration.minutes(15);
/** Window of the per-function and API alarms. */
export const ALARM_PERIOD = Duration.minutes(5);
/**
 * The API alarm fires when 5xx responses are at least this share of all requests in a window
 * with at least API_5XX_MIN_ERRORS of them (so one unlucky request at night doesn't page).
 */
export const API_5XX_RATE_PERCENT = 5;
export const API_5XX_MIN_ERRORS = 3;

/** Whether a function's throttles are a fault: not when reserved concurrency caps it on purpose. */
export function throttlesAreFaults(name: FunctionName, config: StageConfig): boolean {
  // process-upload: S3 invokes it asynchronously, and Lambda retries throttled async events for
  // hours; the cap keeps a burst of uploads from holding too many DB connections. What still
  // fails lands in its DLQ, which has its own alarm.
  return !config.reservedConcurrency || sizingOf(name).reservedConcurrency === undefined;
}

/**
 * Alarms that all notify one KMS-encrypted, TLS-only SNS topic (subscribe an email or chat hook
 * to AlarmTopicArn). Missing data is fine: an idle queue or function publishes no datapoints.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { config } = props;

    // CloudWatch can't publish to a topic encrypted with the AWS managed key (alias/aws/sns):
    // it needs a customer managed key whose policy lets it encrypt.
    this.key = new kms.Key(this, 'AlarmTopicKey', {
      description: `LOKIZ ${config.stage}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
      pendingWindow: Duration.days(7),
    });
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
    };
    const cloudwatchService = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsEncrypt',
        principals: [cloudwatchService],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOurAlarms,
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `LOKIZ ${config.stage} alarms`,
      enforceSSL: true,
      masterKey: this.key,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudwatchService],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    const action = new SnsAction(this.topic);
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) =>
      new cloudwatch.Alarm(this, alarmId, alarmProps).addAlarmAction(action);

    const errors = props.api.metricServerError({ period: ALARM_PERIOD, statistic: cloudwatch.Stats.SUM });
    const requests = props.api.metricCount({ period: ALARM_PERIOD, statistic: cloudwatch.Stats.SUM });
    alarm('Api5xxRate', {
      alarmDescription:
        `API: ${API_5XX_RATE_PERCENT}% or more of the requests in ${ALARM_PERIOD.toMinutes()} minutes ` +
        `answered 5xx (at least ${API_5XX_MIN_ERRORS} of them). Look at the access logs and the ` +
        'domain Lambdas by request_id.',
      metric: new cloudwatch.MathExpression({
        expression: `IF(FILL(errors, 0) >= ${API_5XX_MIN_ERRORS}, 100 * FILL(errors, 0) / requests, 0)`,
        usingMetrics: { errors, requests },
        period: ALARM_PERIOD,
        label: '5xx responses (% of requests)',
      }),
      threshold: API_5XX_RATE_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const dedicated = new Set<lambda.IFunction>(Object.values(props.failingFunctions));
    for (const [name, fn] of props.functions) {
      const watched: Record<string, cloudwatch.IMetric> = {};
      if (!dedicated.has(fn)) {
        watched.errors = fn.metricErrors({ period: ALARM_PERIOD, statistic: cloudwatch.Stats.SUM });
      }
      if (throttlesAreFaults(name, config)) {
        watched.throttles = fn.metricThrottles({ period: ALARM_PERIOD, statistic: cloudwatch.Stats.SUM });
      }
      const names = Object.keys(watched);
      if (!names.length) continue;
      alarm(`${pascal(name)}Function${names.map(pascal).join('Or')}`, {
        alarmDescription: `lokiz-${name}: ${names.join(' or ')} (failed or rejected invocations)`,
        metric: new cloudwatch.MathExpression({
          expression: names.map((n) => `FILL(${n}, 0)`).join(' + '),
          usingMetrics: watched,
          period: ALARM_PERIOD,
          label: names.join(' + '),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(`${name}NotEmpty`, {
        alarmDescription: `${name}: messages in the dead-letter queue (failed for good; inspect and replay)`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: ALARM_PERIOD,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    for (const [name, { queue, maxAge }] of Object.entries(props.slowQueues ?? {})) {
      alarm(`${name}Backlog`, {
        alarmDescription: `${name}: a message has waited ${maxAge.toMinutes()} minutes or more (its consumer is behind or failing)`,
        metric: queue.metricApproximateAgeOfOldestMessage({
          period: ALARM_PERIOD,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: maxAge.toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    for (const [name, fn] of Object.entries(props.failingFunctions)) {
      alarm(`${pascal(name)}Errors`, {
        alarmDescription: `lokiz-${name}: failed runs (it throws when part of its run failed)`,
        metric: fn.metricErrors({ period: FUNCTION_ERROR_PERIOD, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }
}
