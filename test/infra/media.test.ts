import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FFMPEG_PATH, FFPROBE_PATH } from '../../infra/ffmpeg.ts';
import { SOUNDTRACK_EVENTS, SOUNDTRACK_MAX_RECEIVES, SOUNDTRACK_SENDERS } from '../../infra/media.ts';
import { MAX_SOUNDTRACK_ATTEMPTS } from '../../shared/studio/apply-soundtrack.ts';
import { SOUNDTRACK_QUEUE_ENV } from '../../shared/studio/soundtrack-queue.ts';
import { PROCESSING_BUDGET_MS } from '../../shared/videos/limits.ts';
import {
  bucketPolicyOf,
  envOf,
  functionsByService,
  mediaBucket,
  mediaDistribution,
  onlyResource,
  principalsAllowed,
  propsOf,
  queueSourceOf,
  queueWithDlq,
  referencedId,
  resourcesOfType,
  s3Grants,
  sqsGrants,
  synthStack,
  synthTemplate,
} from './synth.ts';

let dev: Template;
let prod: Template;
beforeAll(() => {
  dev = synthTemplate('dev');
  prod = synthTemplate('prod');
});

const bucketId = (template: Template) => mediaBucket(template)[0];

function processUpload(template: Template): [string, Record<string, unknown>] {
  const id = functionsByService(template).get('lokiz-process-upload');
  expect(id).toBeDefined();
  return [id!, propsOf(resourcesOfType(template, 'AWS::Lambda::Function')[id!], 'process-upload')];
}

/** What the transcoding workers share: x86-64 with the ffmpeg layer, 6 vCPUs, the ffmpeg budget, /tmp, the VPC. */
function expectTranscodeWorker(fnId: string, props: Record<string, unknown>): void {
  const [layerId] = onlyResource(dev, 'AWS::Lambda::LayerVersion');
  expect(props).toMatchObject({
    Architectures: ['x86_64'],
    Layers: [{ Ref: layerId }],
    // Lambda's largest size: 6 vCPUs for x264.
    MemorySize: 10_240,
  });
  // ffmpeg's budget, then time to upload what it made.
  expect(props.Timeout as number).toBeGreaterThanOrEqual(PROCESSING_BUDGET_MS / 1000 + 60);
  expect(props.Timeout as number).toBeLessThanOrEqual(15 * 60);
  expect((props.EphemeralStorage as { Size: number }).Size).toBeGreaterThanOrEqual(1024);
  expect((props.VpcConfig as { SubnetIds: unknown[] }).SubnetIds).toHaveLength(2);
  expect(envOf(dev, fnId)).toMatchObject({
    FFMPEG_PATH,
    FFPROBE_PATH,
    MEDIA_BUCKET: { Ref: bucketId(dev) },
    DATABASE_NAME: 'lokiz',
  });
  expect(envOf(dev, fnId)).toHaveProperty('MEDIA_CDN_BASE_URL');
}

describe('media bucket', () => {
  it('is private, encrypted and reachable over TLS only', () => {
    const [id, bucket] = mediaBucket(dev);
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const policy = bucketPolicyOf(dev, id);
    expect(
      (propsOf(policy, 'bucket policy').PolicyDocument as { Statement: unknown[] }).Statement,
    ).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('lets browsers PUT and GET through presigned URLs (dev: any origin)', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedOrigins: ['*'],
            AllowedMethods: Match.arrayWith(['PUT', 'GET']),
            AllowedHeaders: ['content-type'],
            ExposedHeaders: ['ETag'],
          }),
        ],
      },
    });
  });

  it('uses the API corsOrigins in prod, and no CORS when there are none', () => {
    expect(mediaBucket(prod)[1].Properties?.CorsConfiguration).toBeUndefined();
    const withOrigins = Template.fromStack(
      synthStack('prod', { corsOrigins: 'https://app.lokiz.example,https://lokiz.example' }),
    );
    withOrigins.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedOrigins: ['https://app.lokiz.example', 'https://lokiz.example'],
            AllowedMethods: Match.arrayWith(['PUT']),
          }),
        ],
      },
    });
  });

  it('aborts stale multipart uploads and expires tmp/ after a day', () => {
    const [, bucket] = mediaBucket(dev);
    const rules = (propsOf(bucket, 'bucket').LifecycleConfiguration as { Rules: Record<string, unknown>[] })
      .Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', Prefix: 'tmp/', ExpirationInDays: 1 }),
    );
    // Data exports outlive their 7-day link by a day; unprocessed avatar uploads go after a day.
    expect(rules).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', Prefix: 'exports/', ExpirationInDays: 8 }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', Prefix: 'avatars/inbox/', ExpirationInDays: 1 }),
    );
    // Nothing else expires: uploads and thumbnails live as long as their videos.
    expect(rules.filter((r) => 'ExpirationInDays' in r)).toHaveLength(3);
  });

  it('is emptied and deleted with a dev stack, and kept with a prod one', () => {
    const [, devBucket] = mediaBucket(dev);
    expect(devBucket.DeletionPolicy).toBe('Delete');
    // One each for the media bucket, its access-log bucket and CloudFront's log bucket (both distributions).
    dev.resourceCountIs('Custom::S3AutoDeleteObjects', 3);

    const [, prodBucket] = mediaBucket(prod);
    expect(prodBucket.DeletionPolicy).toBe('Retain');
    expect(prodBucket.UpdateReplacePolicy).toBe('Retain');
    prod.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('is an output', () => {
    dev.hasOutput('MediaBucketName', { Value: { Ref: bucketId(dev) } });
  });

  it('is reached from the VPC through a gateway endpoint, not the NAT', () => {
    dev.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
    });
  });
});

describe('upload notification', () => {
  it('sends ObjectCreated under uploads/ and avatars/inbox/ (only) to the process-upload worker', () => {
    const [, notifications] = onlyResource(dev, 'Custom::S3BucketNotifications');
    expect(referencedId(notifications.Properties?.BucketName)).toBe(bucketId(dev));
    const config = notifications.Properties?.NotificationConfiguration as Record<string, unknown>;
    expect(Object.keys(config)).toEqual(['LambdaFunctionConfigurations']);
    const [fnId] = processUpload(dev);
    expect(config.LambdaFunctionConfigurations).toEqual(
      ['uploads/', 'avatars/inbox/'].map((prefix) => ({
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } },
        LambdaFunctionArn: { 'Fn::GetAtt': [fnId, 'Arn'] },
      })),
    );
    dev.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [bucketId(dev), 'Arn'] },
    });
  });
});

describe('ffmpeg layer', () => {
  it('is an x86-64 layer for Node 22', () => {
    const [, layer] = onlyResource(dev, 'AWS::Lambda::LayerVersion');
    expect(layer.Properties).toMatchObject({
      CompatibleArchitectures: ['x86_64'],
      CompatibleRuntimes: ['nodejs22.x'],
    });
  });
});

describe('process-upload worker', () => {
  it('reserves no concurrency anywhere by default; -c reservedConcurrency=true caps process-upload at 10', () => {
    for (const template of [dev, prod]) {
      for (const fn of Object.values(resourcesOfType(template, 'AWS::Lambda::Function'))) {
        expect(fn.Properties?.ReservedConcurrentExecutions).toBeUndefined();
      }
    }
    const opted = Template.fromStack(synthStack('dev', { reservedConcurrency: 'true' }));
    const reserved = Object.values(resourcesOfType(opted, 'AWS::Lambda::Function'))
      .map((fn) => fn.Properties?.ReservedConcurrentExecutions)
      .filter((n) => n !== undefined);
    expect(reserved).toEqual([10]);
    expect(processUpload(opted)[1].ReservedConcurrentExecutions).toBe(10);
  });

  it('runs x86-64 with the ffmpeg layer, all 6 vCPUs for the transcode, its budget and /tmp for a 200 MB upload', () => {
    const [fnId, props] = processUpload(dev);
    expectTranscodeWorker(fnId, props);
    // Reserved concurrency is opt-in (a new account's quota may not allow it): none by default.
    expect(props.ReservedConcurrentExecutions).toBeUndefined();
    expect(FFMPEG_PATH).toBe('/opt/bin/ffmpeg');
    expect(FFPROBE_PATH).toBe('/opt/bin/ffprobe');
  });

  it('retries twice within six hours (events wait behind long transcodes), then dead-letters', () => {
    const [fnId] = processUpload(dev);
    const invokeConfig = Object.values(resourcesOfType(dev, 'AWS::Lambda::EventInvokeConfig')).find(
      (c) => referencedId(c.Properties?.FunctionName) === fnId,
    );
    expect(invokeConfig?.Properties).toMatchObject({
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
    });
    const destination = (
      invokeConfig?.Properties?.DestinationConfig as { OnFailure: { Destination: unknown } } | undefined
    )?.OnFailure.Destination;
    const queueId = referencedId(destination)!;
    const queue = resourcesOfType(dev, 'AWS::SQS::Queue')[queueId];
    expect(destination).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(queue?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
    dev.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('may read, probe and delete uploads and avatar uploads, write (or take back) media revisions, avatars and originals, let Rekognition read posters, nothing more', () => {
    const [fnId] = processUpload(dev);
    expect(s3Grants(dev, fnId)).toEqual(
      [
        's3:GetObject <bucket>/uploads/*',
        's3:GetObject <bucket>/avatars/inbox/*',
        // Screening: Rekognition reads an AI output's poster (its revision's folder) with this role.
        's3:GetObject <bucket>/media/*',
        's3:GetObject <bucket>/private/*',
        's3:DeleteObject <bucket>/uploads/*',
        's3:DeleteObject <bucket>/avatars/inbox/*',
        // Media revisions and avatars (media/avatars/…), both public and immutable, and the originals.
        's3:PutObject <bucket>/media/*',
        's3:PutObject <bucket>/private/*',
        's3:PutObject <bucket>/originals/*',
        's3:DeleteObject <bucket>/media/*',
        's3:DeleteObject <bucket>/private/*',
        's3:DeleteObject <bucket>/originals/*',
        `s3:ListBucket <bucket> if ${JSON.stringify({ StringLike: { 's3:prefix': ['uploads/*', 'avatars/inbox/*'] } })}`,
      ].sort(),
    );
  });

  it('is deployed after the migrations', () => {
    const [triggerId] = onlyResource(dev, 'Custom::Trigger');
    const [fnId] = processUpload(dev);
    expect(resourcesOfType(dev, 'AWS::Lambda::Function')[fnId]?.DependsOn).toContain(triggerId);
  });
});

describe('soundtrack pipeline (music onto a video)', () => {
  const fnId = (template: Template, name: string) => {
    const id = functionsByService(template).get(`lokiz-${name}`);
    if (!id) throw new Error(`no Lambda for ${name}`);
    return id;
  };
  const worker = (template: Template) => fnId(template, 'apply-soundtrack');
  const queues = (template: Template) =>
    queueWithDlq(template, queueSourceOf(template, worker(template)).queueId);

  it('runs the worker like process-upload: x86-64 with the ffmpeg layer, 6 vCPUs, the budget, /tmp, the VPC', () => {
    const props = propsOf(resourcesOfType(dev, 'AWS::Lambda::Function')[worker(dev)], 'apply-soundtrack');
    expectTranscodeWorker(worker(dev), props);
    // Its event source caps concurrency: reserved concurrency would throttle SQS deliveries into receives.
    expect(props.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('feeds it one request at a time, at most 5 at once, with partial batch failures', () => {
    expect(queueSourceOf(dev, worker(dev)).mapping).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    expect(SOUNDTRACK_EVENTS.maxConcurrency).toBe(5);
  });

  it('is an encrypted, TLS-only queue that hides a message for six worker timeouts, then dead-letters it after 5 receives', () => {
    const { queueId, queue, redrive, dlqId, dlq } = queues(dev);
    const timeout = propsOf(resourcesOfType(dev, 'AWS::Lambda::Function')[worker(dev)]).Timeout as number;
    expect(queue.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    // SQS's maximum visibility timeout.
    expect(queue.Properties?.VisibilityTimeout).toBeLessThanOrEqual(12 * 3600);
    expect(redrive).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 });
    // The reconciler fails a request after as many runs as the queue allows receives.
    expect(SOUNDTRACK_MAX_RECEIVES).toBe(MAX_SOUNDTRACK_ATTEMPTS);
    expect(dlq.Properties?.MessageRetentionPeriod).toBe(14 * 86_400);
    for (const id of [queueId, dlqId]) {
      expect(resourcesOfType(dev, 'AWS::SQS::Queue')[id]?.Properties?.SqsManagedSseEnabled, id).toBe(true);
      dev.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        }),
      });
    }
    const { queue: kept, dlq: keptDlq } = queues(prod);
    for (const q of [kept, keptDlq]) expect(q.DeletionPolicy).toBe('Retain');
  });

  it('is sent to by the studio and the reconciler only (named in their environment), read by the worker only', () => {
    const { queueId, dlqId } = queues(dev);
    expect([...SOUNDTRACK_SENDERS].sort()).toEqual(['reconciler', 'studio']);
    const send = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'].map(
      (a) => `${a} ${queueId}`,
    );
    expect(sqsGrants(dev, fnId(dev, 'studio'))).toEqual(send);
    expect(principalsAllowed(dev, 'sqs:SendMessage', queueId)).toEqual(['lokiz-reconciler', 'lokiz-studio']);
    expect(principalsAllowed(dev, 'sqs:ReceiveMessage', queueId)).toEqual(['lokiz-apply-soundtrack']);
    expect(sqsGrants(dev, worker(dev))).not.toContain(`sqs:SendMessage ${queueId}`);
    // Only SQS itself moves messages into the DLQ.
    expect(principalsAllowed(dev, 'sqs:SendMessage', dlqId)).toEqual([]);
    for (const [service, id] of functionsByService(dev)) {
      const sends = ['lokiz-studio', 'lokiz-reconciler'].includes(service);
      expect(envOf(dev, id)[SOUNDTRACK_QUEUE_ENV], service).toEqual(sends ? { Ref: queueId } : undefined);
    }
  });

  it('lets the worker invalidate the replaced public revision on the CDN', () => {
    const [distributionId] = mediaDistribution(dev);
    expect(envOf(dev, worker(dev)).MEDIA_CDN_DISTRIBUTION_ID).toEqual({ Ref: distributionId });
  });

  it('is deployed after the migrations', () => {
    const [triggerId] = onlyResource(dev, 'Custom::Trigger');
    expect(resourcesOfType(dev, 'AWS::Lambda::Function')[worker(dev)]?.DependsOn).toContain(triggerId);
  });
});
