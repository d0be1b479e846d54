import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALARM_PERIOD,
  API_5XX_MIN_ERRORS,
  API_5XX_RATE_PERCENT,
  FUNCTION_ERROR_PERIOD,
  throttlesAreFaults,
} from '../../infra/alarms.ts';
import type { FunctionName } from '../../infra/function-sizing.ts';
import { FANOUT_MAX_AGE } from '../../infra/realtime.ts';
import { stageConfig } from '../../infra/stage.ts';
import {
  apiIdOf,
  functionsByService,
  onlyResource,
  propsOf,
  referencedId,
  resourcesOfType,
  statementsOf,
  synthTemplate,
} from './synth.ts';

let dev: Template;
let prod: Template;
beforeAll(() => {
  dev = synthTemplate('dev');
  prod = synthTemplate('prod');
});

const topicId = (template: Template) => onlyResource(template, 'AWS::SNS::Topic')[0];
const alarms = (template: Template) =>
  Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).map((a) => propsOf(a, 'alarm'));

interface MetricQuery {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: {
    Metric: { MetricName: string; Namespace: string; Dimensions: { Name: string; Value: unknown }[] };
    Period: number;
    Stat: string;
  };
}
const queriesOf = (alarm: Record<string, unknown>) => (alarm.Metrics ?? []) as MetricQuery[];
/** `Errors`/`Throttles` → the function logical ids a metric-math alarm watches, by metric. */
function lambdaMetrics(alarm: Record<string, unknown>): Record<string, string[]> {
  const watched: Record<string, string[]> = {};
  if (alarm.Namespace === 'AWS/Lambda') {
    const [dimension] = alarm.Dimensions as { Value: unknown }[];
    watched[alarm.MetricName as string] = [referencedId(dimension?.Value)!];
  }
  for (const q of queriesOf(alarm)) {
    const metric = q.MetricStat?.Metric;
    if (metric?.Namespace !== 'AWS/Lambda') continue;
    watched[metric.MetricName] = [
      ...(watched[metric.MetricName] ?? []),
      referencedId(metric.Dimensions[0]?.Value)!,
    ];
  }
  return watched;
}

/** Every queue that is some source's dead-letter queue (SQS redrive or a Lambda on-failure destination). */
function deadLetterQueueIds(template: Template): string[] {
  const ids = new Set<string>();
  for (const queue of Object.values(resourcesOfType(template, 'AWS::SQS::Queue'))) {
    const target = (queue.Properties?.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)
      ?.deadLetterTargetArn;
    if (target) ids.add(referencedId(target)!);
  }
  for (const config of Object.values(resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig'))) {
    const destination = (
      config.Properties?.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined
    )?.OnFailure?.Destination;
    if (destination) ids.add(referencedId(destination)!);
  }
  return [...ids].sort();
}

describe('alarm topic', () => {
  it('receives every alarm and is an output', () => {
    for (const template of [dev, prod]) {
      const id = topicId(template);
      template.hasOutput('AlarmTopicArn', { Value: { Ref: id } });
      const all = alarms(template);
      expect(all.length).toBeGreaterThan(0);
      for (const alarm of all) expect(alarm.AlarmActions).toEqual([{ Ref: id }]);
    }
  });

  it('is encrypted with a rotated customer managed key that CloudWatch may use', () => {
    const [, topic] = onlyResource(dev, 'AWS::SNS::Topic');
    const keyId = referencedId(topic.Properties?.KmsMasterKeyId)!;
    const key = resourcesOfType(dev, 'AWS::KMS::Key')[keyId];
    expect(propsOf(key, 'alarm key').EnableKeyRotation).toBe(true);
    const keyPolicy = (propsOf(key, 'alarm key').KeyPolicy as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(keyPolicy).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: expect.objectContaining({
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        }),
      }),
    );
    // Deleted with a dev stack (after the 7-day waiting period), kept with prod.
    expect(key?.DeletionPolicy).toBe('Delete');
    expect(onlyResource(prod, 'AWS::KMS::Key')[1].DeletionPolicy).toBe('Retain');
  });

  it("refuses anything but TLS and lets this account's CloudWatch alarms publish", () => {
    const [, policy] = onlyResource(dev, 'AWS::SNS::TopicPolicy');
    expect(referencedId((propsOf(policy, 'topic policy').Topics as unknown[])[0])).toBe(topicId(dev));
    const statements = statementsOf(policy);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sns:Publish',
        Condition: expect.objectContaining({
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        }),
      }),
    );
  });
});

describe('alarms', () => {
  it(`fire when ${API_5XX_RATE_PERCENT}% of API requests in 5 minutes fail with 5xx (at least ${API_5XX_MIN_ERRORS})`, () => {
    const apiId = apiIdOf(dev, 'HTTP');
    const api = alarms(dev).filter((a) =>
      queriesOf(a).some((q) => q.MetricStat?.Metric.Namespace === 'AWS/ApiGateway'),
    );
    expect(api).toHaveLength(1);
    const [alarm] = api;
    expect(alarm).toMatchObject({
      Threshold: API_5XX_RATE_PERCENT,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    const queries = queriesOf(alarm!);
    expect(queries.find((q) => q.ReturnData !== false)?.Expression).toBe(
      `IF(FILL(errors, 0) >= ${API_5XX_MIN_ERRORS}, 100 * FILL(errors, 0) / requests, 0)`,
    );
    const metric = (id: string) => queries.find((q) => q.Id === id)?.MetricStat;
    for (const [id, name] of [
      ['errors', '5xx'],
      ['requests', 'Count'],
    ] as const) {
      expect(metric(id)).toMatchObject({
        Metric: { MetricName: name, Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }] },
        Period: ALARM_PERIOD.toSeconds(),
        Stat: 'Sum',
      });
    }
  });

  it('watch every Lambda once for errors and throttles (each metric exactly once)', () => {
    const functions = functionsByService(dev);
    const watched: Record<string, string[]> = { Errors: [], Throttles: [] };
    for (const alarm of alarms(dev)) {
      const metrics = lambdaMetrics(alarm);
      for (const [name, ids] of Object.entries(metrics)) watched[name]!.push(...ids);
      if (!Object.keys(metrics).length || !alarm.Metrics) continue;
      expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
      for (const q of queriesOf(alarm)) {
        if (q.MetricStat)
          expect(q.MetricStat).toMatchObject({ Period: ALARM_PERIOD.toSeconds(), Stat: 'Sum' });
      }
    }
    // Errors: every function (the reconciler's through its own alarm, below).
    const everyFunction = [...functions.values()].sort();
    expect(watched.Errors!.sort()).toEqual(everyFunction);
    // Throttles: every function, since no reserved concurrency caps any by default.
    const throttled = [...functions]
      .filter(([service]) =>
        throttlesAreFaults(service.replace(/^lokiz-/, '') as FunctionName, stageConfig('dev')),
      )
      .map(([, id]) => id)
      .sort();
    expect(throttled).toContain(functions.get('lokiz-process-upload'));
    // With -c reservedConcurrency=true, process-upload's throttles are its cap at work, not a fault.
    expect(throttlesAreFaults('process-upload', stageConfig('dev', { reservedConcurrency: 'true' }))).toBe(
      false,
    );
    expect(watched.Throttles!.sort()).toEqual(throttled);
  });

  it('fire when the reconciler or the outbox sweeper fails within 15 minutes', () => {
    const safetyNets = alarms(dev).filter((a) => a.MetricName === 'Errors');
    expect(safetyNets).toHaveLength(2);
    for (const service of ['lokiz-reconciler', 'lokiz-fanout-sweeper']) {
      const fn = functionsByService(dev).get(service);
      const alarm = safetyNets.find(
        (a) =>
          JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: fn } }]),
      );
      expect(alarm, service).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: FUNCTION_ERROR_PERIOD.toSeconds(),
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('fire when a fan-out wake-up has waited 5 minutes (fan-out behind or failing)', () => {
    const backlog = alarms(dev).filter((a) => a.MetricName === 'ApproximateAgeOfOldestMessage');
    expect(backlog).toHaveLength(1);
    expect(backlog[0]).toMatchObject({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: FANOUT_MAX_AGE.toSeconds(),
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const [dimension] = backlog[0]!.Dimensions as { Name: string; Value: unknown }[];
    const queue = resourcesOfType(dev, 'AWS::SQS::Queue')[referencedId(dimension?.Value)!];
    // The fan-out worker's queue (its event source), not a dead-letter queue.
    const mapping = Object.values(resourcesOfType(dev, 'AWS::Lambda::EventSourceMapping')).find(
      (m) => referencedId(m.Properties?.FunctionName) === functionsByService(dev).get('lokiz-fanout'),
    );
    expect(queue).toBeDefined();
    expect(referencedId(mapping?.Properties?.EventSourceArn)).toBe(referencedId(dimension?.Value));
  });

  it('fire on the first message in every dead-letter queue', () => {
    const dlqs = deadLetterQueueIds(dev);
    // The AI jobs and outputs DLQs, the process-upload on-failure DLQ, the soundtrack queue's DLQ,
    // the account deletion and export DLQs and the fan-out DLQ.
    expect(dlqs).toHaveLength(7);
    const watched = alarms(dev)
      .filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map((a) => {
        expect(a).toMatchObject({
          Namespace: 'AWS/SQS',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
        const [dimension] = a.Dimensions as { Name: string; Value: unknown }[];
        expect(dimension?.Name).toBe('QueueName');
        return referencedId(dimension?.Value);
      });
    expect(watched.sort()).toEqual(dlqs);
  });

  it('stay few: one per function, plus the API, the DLQs, the two safety nets and the fan-out backlog', () => {
    const functions = functionsByService(dev).size;
    expect(alarms(dev)).toHaveLength(functions + 1 + 7 + 2 + 1);
    expect(alarms(prod)).toHaveLength(functions + 1 + 7 + 2 + 1);
  });
});
