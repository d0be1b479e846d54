import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AI_ACCESS,
  COPY_EVENTS,
  COPY_MAX_RECEIVES,
  DISPATCH_EVENTS,
  JOB_MAX_RECEIVES,
  RECONCILE_INTERVAL,
} from '../../infra/ai.ts';
import { FFMPEG_PATH, FFPROBE_PATH } from '../../infra/ffmpeg.ts';
import { API_TIMEOUT_LIMIT, type FunctionName, sizingOf } from '../../infra/function-sizing.ts';
import { domainsWithRoutes } from '../../infra/route-table.ts';
import { REPLICATE_API_TOKEN_OUTPUT, REPLICATE_WEBHOOK_SECRET_OUTPUT } from '../../infra/secrets.ts';
import { OUTPUT_QUEUE_ENV } from '../../shared/ai/output-queue.ts';
import {
  apiDistribution,
  type CfnResource,
  envOf,
  functionsByService,
  onlyResource,
  principalsAllowed,
  propsOf,
  queueSourceOf,
  queueWithDlq,
  referencedId,
  resourcesOfType,
  roleOf,
  sqsGrants,
  statementsOf,
  statementsOfRole,
  synthTemplate,
} from './synth.ts';

let dev: Template;
let prod: Template;
beforeAll(() => {
  dev = synthTemplate('dev');
  prod = synthTemplate('prod');
});

const idOf = (template: Template, name: FunctionName): string => {
  const id = functionsByService(template).get(`lokiz-${name}`);
  if (!id) throw new Error(`no Lambda for ${name}`);
  return id;
};
const lambdaProps = (template: Template, name: FunctionName) =>
  propsOf(resourcesOfType(template, 'AWS::Lambda::Function')[idOf(template, name)], name);

/** A worker's event source mapping, and the queue it reads (the jobs queue by default). */
const queueSource = (template: Template, worker: FunctionName = 'ai-dispatcher') =>
  queueSourceOf(template, idOf(template, worker));
const dispatcherSource = (template: Template) => queueSource(template, 'ai-dispatcher');
/** The queue a worker reads (the jobs queue by default) and its dead-letter queue. */
const jobsQueues = (template: Template, worker: FunctionName = 'ai-dispatcher') =>
  queueWithDlq(template, queueSource(template, worker).queueId);

const services = (...names: FunctionName[]) => names.map((n) => `lokiz-${n}`).sort();
/** A function's SQS grants on one queue. */
const sqsGrantsOn = (template: Template, name: FunctionName, queueId: string) =>
  sqsGrants(template, idOf(template, name)).filter((g) => g.endsWith(` ${queueId}`));

const outputValue = (template: Template, name: string): unknown =>
  (template.toJSON().Outputs as Record<string, { Value: unknown }>)[name]?.Value;

describe('AI jobs queue', () => {
  it('is encrypted and refuses anything but TLS, like its dead-letter queue', () => {
    const { queueId, queue, dlqId, dlq } = jobsQueues(dev);
    expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    expect(dlq.Properties?.SqsManagedSseEnabled).toBe(true);
    for (const id of [queueId, dlqId]) {
      const policies = Object.values(resourcesOfType(dev, 'AWS::SQS::QueuePolicy')).filter((p) =>
        ((p.Properties?.Queues ?? []) as unknown[]).some((q) => referencedId(q) === id),
      );
      expect(policies, id).toHaveLength(1);
      const statements = statementsOf(policies[0]);
      expect(statements, id).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('moves a job to a 14-day dead-letter queue after 5 receives', () => {
    const { redrive, dlqId, dlq } = jobsQueues(dev);
    expect(redrive).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 });
    expect(JOB_MAX_RECEIVES).toBe(5);
    expect(dlq.Properties?.MessageRetentionPeriod).toBe(14 * 86_400);
  });

  it("hides a received message for at least six times the dispatcher's timeout", () => {
    const { queue } = jobsQueues(dev);
    const dispatcherTimeout = lambdaProps(dev, 'ai-dispatcher').Timeout as number;
    expect(dispatcherTimeout).toBeGreaterThan(0);
    expect(queue.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * dispatcherTimeout);
  });

  it('is kept, with its dead-letter queue, when a prod stack is deleted', () => {
    const { queue, dlq } = jobsQueues(prod);
    for (const q of [queue, dlq]) expect(q.DeletionPolicy).toBe('Retain');
  });

  it('feeds the dispatcher in batches of 5 within a second, with partial batch failures', () => {
    const { mapping } = dispatcherSource(dev);
    expect(mapping).toMatchObject({
      BatchSize: 5,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: DISPATCH_EVENTS.maxConcurrency },
    });
  });

  it('is written by the ai domain and the reconciler, read by the dispatcher, nobody else', () => {
    const { queueId, dlqId } = jobsQueues(dev);
    const send = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'].map(
      (a) => `${a} ${queueId}`,
    );
    // (The reconciler also re-sends account deletions and exports, test/infra/accounts.test.ts, and
    // soundtrack requests, test/infra/media.test.ts; both also wake fan-out: its queue's grants are
    // test/infra/realtime.test.ts's.)
    expect(sqsGrantsOn(dev, 'ai', queueId)).toEqual(send);
    expect(sqsGrantsOn(dev, 'reconciler', queueId)).toEqual(send);
    expect(sqsGrants(dev, idOf(dev, 'ai-dispatcher'))).toEqual(
      expect.arrayContaining([`sqs:ReceiveMessage ${queueId}`, `sqs:DeleteMessage ${queueId}`]),
    );
    expect(sqsGrants(dev, idOf(dev, 'ai-dispatcher'))).not.toContain(`sqs:SendMessage ${queueId}`);
    expect(principalsAllowed(dev, 'sqs:SendMessage', queueId)).toEqual(services('ai', 'reconciler'));
    expect(principalsAllowed(dev, 'sqs:ReceiveMessage', queueId)).toEqual(services('ai-dispatcher'));
    // Only SQS itself moves messages into the DLQ.
    expect(principalsAllowed(dev, 'sqs:SendMessage', dlqId)).toEqual([]);
    for (const [service, id] of functionsByService(dev)) {
      for (const s of statementsOfRole(dev, roleOf(dev, id))) {
        expect([s.Action].flat(), service).not.toContain('sqs:*');
        expect([s.Action].flat(), service).not.toContain('*');
      }
    }
  });

  it('is named to exactly the functions that enqueue', () => {
    const { queueId } = jobsQueues(dev);
    for (const [service, id] of functionsByService(dev)) {
      const expected = ['lokiz-ai', 'lokiz-reconciler'].includes(service) ? { Ref: queueId } : undefined;
      expect(envOf(dev, id).AI_JOBS_QUEUE_URL, service).toEqual(expected);
    }
  });
});

describe('AI outputs queue (webhook → output-copier)', () => {
  it('is encrypted, TLS-only, kept in prod, and dead-letters a copy after 5 receives', () => {
    const { queueId, queue, redrive, dlqId, dlq } = jobsQueues(dev, 'output-copier');
    expect(queueId).not.toBe(jobsQueues(dev).queueId);
    expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    expect(dlq.Properties?.SqsManagedSseEnabled).toBe(true);
    expect(redrive).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: COPY_MAX_RECEIVES,
    });
    expect(dlq.Properties?.MessageRetentionPeriod).toBe(14 * 86_400);
    const kept = jobsQueues(prod, 'output-copier');
    for (const q of [kept.queue, kept.dlq]) expect(q.DeletionPolicy).toBe('Retain');
  });

  it("hides a received message for six times the copier's timeout; batches of one, five at a time", () => {
    const { queue } = jobsQueues(dev, 'output-copier');
    const timeout = lambdaProps(dev, 'output-copier').Timeout as number;
    expect(queue.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    const { mapping } = queueSource(dev, 'output-copier');
    expect(mapping).toMatchObject({
      BatchSize: COPY_EVENTS.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: COPY_EVENTS.maxConcurrency },
    });
  });

  it('is written by the webhook and the reconciler, read by the output-copier, named to exactly the senders', () => {
    const { queueId } = jobsQueues(dev, 'output-copier');
    expect(principalsAllowed(dev, 'sqs:SendMessage', queueId)).toEqual(services('webhooks', 'reconciler'));
    expect(principalsAllowed(dev, 'sqs:ReceiveMessage', queueId)).toEqual(services('output-copier'));
    for (const [service, id] of functionsByService(dev)) {
      const expected = ['lokiz-webhooks', 'lokiz-reconciler'].includes(service)
        ? { Ref: queueId }
        : undefined;
      expect(envOf(dev, id)[OUTPUT_QUEUE_ENV], service).toEqual(expected);
    }
  });
});

describe('reconciler', () => {
  it('runs every 5 minutes from an EventBridge schedule', () => {
    const reconcilerId = idOf(dev, 'reconciler');
    const rules = Object.entries(resourcesOfType(dev, 'AWS::Events::Rule')).filter(([, rule]) =>
      ((rule.Properties?.Targets ?? []) as { Arn: unknown }[]).some(
        (t) => referencedId(t.Arn) === reconcilerId,
      ),
    );
    expect(rules).toHaveLength(1);
    const [ruleId, rule] = rules[0]!;
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
    dev.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [reconcilerId, 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });

  it('finishes before the next run starts, and leaves retrying to that run', () => {
    expect(lambdaProps(dev, 'reconciler').Timeout).toBeLessThanOrEqual(RECONCILE_INTERVAL.toSeconds());
    const reconcilerId = idOf(dev, 'reconciler');
    const config = Object.values(resourcesOfType(dev, 'AWS::Lambda::EventInvokeConfig')).find(
      (c) => referencedId(c.Properties?.FunctionName) === reconcilerId,
    );
    expect(config?.Properties?.MaximumRetryAttempts).toBe(0);
  });
});

describe('Replicate secrets', () => {
  const secretIds = (template: Template) => ({
    token: referencedId(outputValue(template, REPLICATE_API_TOKEN_OUTPUT))!,
    webhook: referencedId(outputValue(template, REPLICATE_WEBHOOK_SECRET_OUTPUT))!,
  });

  it('are generated placeholders (no literal in the template) that say how to set them', () => {
    const secrets = resourcesOfType(dev, 'AWS::SecretsManager::Secret');
    const { token, webhook } = secretIds(dev);
    for (const id of [token, webhook]) {
      const props = propsOf(secrets[id], id);
      expect(props.SecretString, id).toBeUndefined();
      expect(props.GenerateSecretString, id).toBeDefined();
      expect(props.Description, id).toMatch(/aws secretsmanager put-secret-value/);
    }
    expect(propsOf(secrets[token]).Description).toMatch(/r8_/);
    expect(propsOf(secrets[webhook]).Description).toMatch(
      /whsec_.*api\.replicate\.com\/v1\/webhooks\/default\/secret/,
    );
  });

  it('are kept when a prod stack is deleted', () => {
    const { token, webhook } = secretIds(prod);
    const secrets = resourcesOfType(prod, 'AWS::SecretsManager::Secret');
    for (const id of [token, webhook]) expect(secrets[id]?.DeletionPolicy).toBe('Retain');
  });

  it('are readable by exactly the functions that use them', () => {
    const { token, webhook } = secretIds(dev);
    expect(principalsAllowed(dev, 'secretsmanager:GetSecretValue', token)).toEqual(
      services('ai', 'ai-dispatcher', 'reconciler'),
    );
    expect(principalsAllowed(dev, 'secretsmanager:GetSecretValue', webhook)).toEqual(services('webhooks'));
    for (const [service, id] of functionsByService(dev)) {
      const env = envOf(dev, id);
      const readsToken = ['lokiz-ai', 'lokiz-ai-dispatcher', 'lokiz-reconciler'].includes(service);
      expect(env.REPLICATE_API_TOKEN_ARN, service).toEqual(readsToken ? { Ref: token } : undefined);
      expect(env.REPLICATE_WEBHOOK_SECRET_ARN, service).toEqual(
        service === 'lokiz-webhooks' ? { Ref: webhook } : undefined,
      );
    }
  });

  it('AI_ACCESS agrees (the table the wiring comes from)', () => {
    const names = (flag: 'replicate' | 'webhookSecret' | 'enqueue') =>
      Object.entries(AI_ACCESS)
        .filter(([, access]) => access[flag])
        .map(([name]) => name)
        .sort();
    expect(names('replicate')).toEqual(['ai', 'ai-dispatcher', 'reconciler']);
    expect(names('webhookSecret')).toEqual(['webhooks']);
    expect(names('enqueue')).toEqual(['ai', 'reconciler']);
  });
});

describe('public API URL', () => {
  /** `https://<distribution>.cloudfront.net`: Replicate's webhooks come in through CloudFront and its WAF. */
  const apiUrlParts = (template: Template) => {
    const [distributionId] = apiDistribution(template);
    return ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }];
  };

  it('is given to every function that calls Replicate: the CloudFront URL', () => {
    for (const [service, id] of functionsByService(dev)) {
      const env = envOf(dev, id);
      if (['lokiz-ai', 'lokiz-ai-dispatcher', 'lokiz-reconciler'].includes(service)) {
        expect(env.PUBLIC_API_URL, service).toEqual({ 'Fn::Join': ['', apiUrlParts(dev)] });
      } else {
        expect(env.PUBLIC_API_URL, service).toBeUndefined();
      }
    }
  });

  it('leaves the template free of dependency cycles (the ai Lambda is also an API integration)', () => {
    // Template.fromStack (synthTemplate) rejects a template whose resources depend on each other in
    // a cycle, which CloudFormation would refuse to deploy and `cdk synth` doesn't notice.
    const resource = (props: Record<string, unknown>, dependsOn?: string[]): CfnResource => ({
      Type: 'AWS::SQS::Queue',
      Properties: props,
      ...(dependsOn ? { DependsOn: dependsOn } : {}),
    });
    expect(() =>
      Template.fromJSON({
        Resources: {
          A: resource({ P: { 'Fn::GetAtt': ['B', 'Arn'] } }),
          B: resource({ P: { Ref: 'C' } }),
          C: resource({}, ['A']),
        },
      }),
    ).toThrow(/dependency cycle/);
    expect(synthTemplate('dev')).toBe(dev);
    expect(synthTemplate('prod')).toBe(prod);
  });

  it('outputs the webhook URL for Replicate and the secrets to fill in', () => {
    expect(outputValue(dev, 'ReplicateWebhookUrl')).toEqual({
      'Fn::Join': ['', [...apiUrlParts(dev), '/v1/webhooks/replicate']],
    });
    const secrets = resourcesOfType(dev, 'AWS::SecretsManager::Secret');
    for (const output of [REPLICATE_API_TOKEN_OUTPUT, REPLICATE_WEBHOOK_SECRET_OUTPUT]) {
      expect(secrets[referencedId(outputValue(dev, output))!], output).toBeDefined();
    }
  });
});

describe('function sizing', () => {
  it('runs ai and studio (ffmpeg) on x86-64 with the ffmpeg layer and its paths', () => {
    const [layerId] = onlyResource(dev, 'AWS::Lambda::LayerVersion');
    expect(domainsWithRoutes()).toEqual(expect.arrayContaining(['ai', 'studio']));
    for (const name of ['ai', 'studio'] as const) {
      const props = lambdaProps(dev, name);
      expect(props, name).toMatchObject({ Architectures: ['x86_64'], Layers: [{ Ref: layerId }] });
      expect(envOf(dev, idOf(dev, name)), name).toMatchObject({ FFMPEG_PATH, FFPROBE_PATH });
    }
    expect(lambdaProps(dev, 'ai')).toMatchObject({ MemorySize: 1536, Timeout: 25 });
    expect((lambdaProps(dev, 'ai').EphemeralStorage as { Size: number }).Size).toBeGreaterThanOrEqual(1024);
    expect(lambdaProps(dev, 'studio')).toMatchObject({
      // 2 vCPUs for the worst cut the limits allow (function-sizing.ts).
      MemorySize: 3584,
      Timeout: 29,
      EphemeralStorage: { Size: 2048 },
    });
  });

  it('gives the layer to nobody else, and keeps the rest on arm64', () => {
    for (const [service, id] of functionsByService(dev)) {
      const props = propsOf(resourcesOfType(dev, 'AWS::Lambda::Function')[id], service);
      const ffmpeg = ['lokiz-ai', 'lokiz-studio', 'lokiz-process-upload', 'lokiz-apply-soundtrack'].includes(
        service,
      );
      expect(props.Layers !== undefined, service).toBe(ffmpeg);
      expect(props.Architectures, service).toEqual([ffmpeg ? 'x86_64' : 'arm64']);
      expect(envOf(dev, id).FFMPEG_PATH, service).toEqual(ffmpeg ? FFMPEG_PATH : undefined);
    }
  });

  it('sizes the webhook handler and the AI workers', () => {
    // The webhook downloads nothing any more: the default size.
    expect(lambdaProps(dev, 'webhooks')).toMatchObject({
      MemorySize: 512,
      Timeout: 29,
      Architectures: ['arm64'],
    });
    expect(lambdaProps(dev, 'output-copier')).toMatchObject({
      MemorySize: 1024,
      Timeout: 60,
      Architectures: ['arm64'],
    });
    expect(lambdaProps(dev, 'ai-dispatcher')).toMatchObject({
      MemorySize: 512,
      Timeout: 60,
      Architectures: ['arm64'],
    });
    expect(lambdaProps(dev, 'reconciler')).toMatchObject({ Timeout: 300, Architectures: ['arm64'] });
  });

  it('lets every API handler answer before API Gateway gives up (30 s)', () => {
    expect(API_TIMEOUT_LIMIT.toSeconds()).toBeLessThan(30);
    for (const domain of domainsWithRoutes()) {
      expect(lambdaProps(dev, domain).Timeout, domain).toBeLessThanOrEqual(API_TIMEOUT_LIMIT.toSeconds());
      expect(sizingOf(domain).timeout.toSeconds(), domain).toBeLessThanOrEqual(API_TIMEOUT_LIMIT.toSeconds());
    }
  });
});
