import { type App, CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { REPLICATE_WEBHOOK_PATH } from '../shared/ai/webhook-contract.ts';
import { AiPipeline } from './ai.ts';
import { Alarms } from './alarms.ts';
import { Api } from './api.ts';
import { MediaCdn, type MediaCdnProps, mediaDomainFromContext } from './cdn.ts';
import { Database } from './database.ts';
import { createFfmpegLayer } from './ffmpeg.ts';
import type { FunctionName } from './function-sizing.ts';
import { DomainFunctions, type LambdaRuntime } from './functions.ts';
import { MediaPipeline } from './media.ts';
import { Migrations } from './migrations.ts';
import { acknowledgeCdkInternals } from './nag.ts';
import { Network } from './network.ts';
import { AppSecrets, REPLICATE_API_TOKEN_OUTPUT, REPLICATE_WEBHOOK_SECRET_OUTPUT } from './secrets.ts';
import { parseStage, type StageConfig, stageConfig } from './stage.ts';
import { MediaStorage } from './storage.ts';
import { grantStorageAccess } from './storage-access.ts';

export interface LokizStackProps extends StackProps {
  config: StageConfig;
  /** Custom domain of the media CDN; default its *.cloudfront.net name. */
  mediaDomain?: MediaCdnProps['domain'];
}

/**
 * The whole backend: VPC, PostgreSQL + RDS Proxy, secrets, media bucket + process-upload and
 * soundtrack pipelines + media CDN, one Lambda per domain, HTTP API, AI jobs (queue, dispatcher, reconciler),
 * alarms.
 */
export class LokizStack extends Stack {
  readonly api: Api;

  constructor(scope: Construct, id: string, props: LokizStackProps) {
    super(scope, id, props);
    const { config } = props;

    const network = new Network(this, 'Network', { config });
    const database = new Database(this, 'Database', {
      config,
      vpc: network.vpc,
      clientSecurityGroup: network.lambdaSecurityGroup,
    });
    const secrets = new AppSecrets(this, 'Secrets', { config });
    const storage = new MediaStorage(this, 'Storage', { config });
    const cdn = new MediaCdn(this, 'MediaCdn', { config, bucket: storage.bucket, domain: props.mediaDomain });

    const runtime: LambdaRuntime = {
      config,
      vpc: network.vpc,
      securityGroup: network.lambdaSecurityGroup,
      databaseSecret: database.secret,
      databaseProxyEndpoint: database.proxy.endpoint,
      jwtSecret: secrets.jwtSecret,
      ffmpegLayer: createFfmpegLayer(this, 'FfmpegLayer'),
    };
    const functions = new DomainFunctions(this, 'Functions', { runtime });
    const media = new MediaPipeline(this, 'Media', { runtime, bucket: storage.bucket });
    this.api = new Api(this, 'Api', { config, functions: functions.byDomain });
    const ai = new AiPipeline(this, 'Ai', {
      runtime,
      replicateApiToken: secrets.replicateApiToken,
      replicateWebhookSecret: secrets.replicateWebhookSecret,
      apiUrl: this.api.publicUrl,
      domainFunctions: functions.byDomain,
    });

    const everyFunction = new Map<FunctionName, lambda.Function>([
      ...functions.byDomain,
      ['process-upload', media.processUpload],
      ['apply-soundtrack', media.applySoundtrack],
      ...ai.workers,
    ]);
    grantStorageAccess(everyFunction, storage.bucket);
    cdn.connect(everyFunction);
    media.connectSoundtrackSenders(everyFunction);
    // Every function that reads or writes the database waits for the migrations.
    const migrations = new Migrations(this, 'Migrations', {
      runtime,
      after: [database],
      before: [functions, media.processUpload, media.applySoundtrack, ai.dispatcher, ai.reconciler],
    });
    const alarms = new Alarms(this, 'Alarms', {
      config,
      api: this.api.httpApi,
      functions: new Map([...everyFunction, ['migrate', migrations.function]]),
      deadLetterQueues: {
        AiJobsDlq: ai.deadLetterQueue,
        ProcessUploadDlq: media.deadLetterQueue,
        SoundtrackDlq: media.soundtrackDeadLetterQueue,
      },
      failingFunctions: { reconciler: ai.reconciler },
    });
    acknowledgeCdkInternals(this);

    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'MediaBucketName', {
      value: storage.bucket.bucketName,
      description: 'S3 bucket for uploads, thumbnails, assets and studio media',
    });
    new CfnOutput(this, 'MediaDomain', {
      value: cdn.domainName,
      description: 'Domain of the media CDN: public media are https://<domain>/media/…',
    });
    new CfnOutput(this, 'MediaDistributionId', {
      value: cdn.distribution.distributionId,
      description: 'CloudFront distribution of the media (invalidations, logs)',
    });
    new CfnOutput(this, 'ReplicateWebhookUrl', {
      value: `${this.api.publicUrl}${REPLICATE_WEBHOOK_PATH}`,
      description: "Where Replicate's signed webhooks arrive (the dispatcher adds ?job_id=…)",
    });
    new CfnOutput(this, REPLICATE_API_TOKEN_OUTPUT, {
      value: secrets.replicateApiToken.secretArn,
      description: 'Put your Replicate API token (r8_…) here after the first deploy',
    });
    new CfnOutput(this, REPLICATE_WEBHOOK_SECRET_OUTPUT, {
      value: secrets.replicateWebhookSecret.secretArn,
      description: 'Put the whsec_… from GET https://api.replicate.com/v1/webhooks/default/secret here',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description: 'SNS topic of every alarm: subscribe to it',
    });
    new CfnOutput(this, 'Stage', { value: config.stage, description: 'Deployment stage' });
  }
}

/**
 * Adds the one stack to an app, configured from context (`-c stage=dev|prod`, `-c corsOrigins=…`,
 * `-c mediaDomain=… -c mediaCertificateArn=…`).
 */
export function createLokizStack(app: App): LokizStack {
  const stage = parseStage(app.node.tryGetContext('stage'));
  const config = stageConfig(stage, { corsOrigins: app.node.tryGetContext('corsOrigins') });
  const stack = new LokizStack(app, 'LokizStack', {
    config,
    mediaDomain: mediaDomainFromContext(
      app.node.tryGetContext('mediaDomain'),
      app.node.tryGetContext('mediaCertificateArn'),
    ),
    // Distinct CloudFormation names let dev and prod share an account.
    stackName: `lokiz-${stage}`,
    description: `LOKIZ backend (${stage})`,
  });
  Tags.of(stack).add('project', 'lokiz');
  Tags.of(stack).add('stage', stage);
  return stack;
}
