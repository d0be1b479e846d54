import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

interface AlarmsProps {
  /** Every dead-letter queue: a message there is work that failed for good until someone replays it. */
  deadLetterQueues: Record<string, sqs.IQueue>;
  /** Functions whose failed invocations need a person (the reconciler: it is the safety net). */
  failingFunctions: Record<string, lambda.IFunction>;
}

/** Errors counted over this window; the reconciler runs three times in it. */
const FUNCTION_ERROR_PERIOD = Duration.minutes(15);

/**
 * Alarms that all notify one SNS topic (subscribe an email or chat hook to AlarmTopicArn).
 * Missing data is fine: an idle queue or function publishes no datapoints.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'LOKIZ alarms', enforceSSL: true });
    const action = new SnsAction(this.topic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      new cloudwatch.Alarm(this, `${name}NotEmpty`, {
        alarmDescription: `${name}: messages in the dead-letter queue (failed for good; inspect and replay)`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }

    for (const [name, fn] of Object.entries(props.failingFunctions)) {
      new cloudwatch.Alarm(this, `${name}Errors`, {
        alarmDescription: `${name}: failed invocations`,
        metric: fn.metricErrors({ period: FUNCTION_ERROR_PERIOD, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }
  }
}
