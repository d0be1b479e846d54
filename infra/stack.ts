import { type App, CfnOutput, Fn, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { REPLICATE_WEBHOOK_PATH } from '../shared/ai/webhook-contract.ts';
import { AccountPipeline } from './accounts.ts';
import { AiPipeline } from './ai.ts';
import { Alarms } from './alarms.ts';
import { Api } from './api.ts';
import { MediaCdn, type MediaCdnProps, mediaDomainFromContext } from './cdn.ts';
import { Database } from './database.ts';
import { ApiEdge, EDGE_REGION, EdgeAclStack } from './edge.ts';
import { createFfmpegLayer } from './ffmpeg.ts';
import type { FunctionName } from './function-sizing.ts';
import { DomainFunctions, type LambdaRuntime } from './functions.ts';
import { Mail } from './mail.ts';
import { MediaPipeline } from './media.ts';
import { Migrations } from './migrations.ts';
import { acknowledgeCdkInternals } from './nag.ts';
import { Network } from './network.ts';
import { FANOUT_MAX_AGE, Realtime } from './realtime.ts';
import { grantScreening } from './screening.ts';
import { AppSecrets, REPLICATE_API_TOKEN_OUTPUT, REPLICATE_WEBHOOK_SECRET_OUTPUT } from './secrets.ts';
import { parseStage, type StageConfig, stageConfig } from './stage.ts';
import { MediaStorage } from './storage.ts';
import { grantStorageAccess } from './storage-access.ts';

export interface LokizStackProps extends StackProps {
  config: StageConfig;
  /** Custom domain of the media CDN; default its *.cloudfront.net name. */
  mediaDomain?: MediaCdnProps['domain'];
  /** The API's AWS WAF web ACL (EdgeAclStack, in us-east-1). */
  webAclArn: string;
}

/**
 * The whole backend: VPC, PostgreSQL + RDS Proxy, secrets, media bucket + process-upload and
 * soundtrack pipelines + media CDN, one Lambda per domain, HTTP API behind CloudFront and AWS WAF, AI jobs
 * (queue, dispatcher, output-copier, reconciler), accounts (mail, deletion and export workers),
 * live updates and push (WebSocket API, fan-out queue and workers), alarms.
 */
export class LokizStack extends Stack {
  readonly api: Api;
  readonly edge: ApiEdge;

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
      databaseSecret: database.appSecret,
      ownerDatabaseSecret: database.secret,
      databaseProxyEndpoint: database.proxy.endpoint,
      jwtSecret: secrets.jwtSecret,
      ffmpegLayer: createFfmpegLayer(this, 'FfmpegLayer'),
    };
    const functions = new DomainFunctions(this, 'Functions', { runtime });
    const media = new MediaPipeline(this, 'Media', { runtime, bucket: storage.bucket });
    this.api = new Api(this, 'Api', { config, functions: functions.byDomain });
    this.edge = new ApiEdge(this, 'Edge', {
      config,
      httpApi: this.api.httpApi,
      webAclArn: props.webAclArn,
      functions: functions.byDomain.values(),
      logBucket: cdn.logsBucket,
    });
    const ai = new AiPipeline(this, 'Ai', {
      runtime,
      replicateApiToken: secrets.replicateApiToken,
      replicateWebhookSecret: secrets.replicateWebhookSecret,
      // Replicate's webhooks come in through CloudFront like every other request.
      apiUrl: this.edge.url,
      domainFunctions: functions.byDomain,
    });

    const accounts = new AccountPipeline(this, 'Accounts', {
      runtime,
      accountFunction: functions.byDomain.get('account'),
      reconciler: ai.reconciler,
    });
    const realtime = new Realtime(this, 'Realtime', {
      runtime,
      functions: new Map<FunctionName, lambda.Function>([
        ...functions.byDomain,
        ['process-upload', media.processUpload],
        ...ai.workers,
        ...accounts.workers,
      ]),
    });

    const everyFunction = new Map<FunctionName, lambda.Function>([
      ...functions.byDomain,
      ['process-upload', media.processUpload],
      ['apply-soundtrack', media.applySoundtrack],
      ...ai.workers,
      ...accounts.workers,
      ...realtime.workers,
    ]);
    grantStorageAccess(everyFunction, storage.bucket);
    cdn.connect(everyFunction);
    grantScreening(everyFunction);
    const mail = new Mail(this, 'Mail', { config });
    // Links in mail (the export download) lead to the API through CloudFront, like every request.
    mail.grantSend(everyFunction, config, this.edge.url);
    media.connectSoundtrackSenders(everyFunction);
    // Every function that reads or writes the database waits for the migrations.
    const migrations = new Migrations(this, 'Migrations', {
      runtime,
      after: [database],
      before: [
        functions,
        media.processUpload,
        media.applySoundtrack,
        ai.dispatcher,
        ai.outputCopier,
        ai.reconciler,
        ...accounts.workers.values(),
        ...realtime.workers.values(),
      ],
    });
    const alarms = new Alarms(this, 'Alarms', {
      config,
      api: this.api.httpApi,
      functions: new Map([...everyFunction, ['migrate', migrations.function]]),
      deadLetterQueues: {
        AiJobsDlq: ai.deadLetterQueue,
        AiOutputsDlq: ai.outputsDeadLetterQueue,
        ProcessUploadDlq: media.deadLetterQueue,
        SoundtrackDlq: media.soundtrackDeadLetterQueue,
        ...accounts.deadLetterQueues,
        FanoutDlq: realtime.deadLetterQueue,
      },
      failingFunctions: { reconciler: ai.reconciler, 'fanout-sweeper': realtime.sweeper },
      slowQueues: { FanoutQueue: { queue: realtime.queue, maxAge: FANOUT_MAX_AGE } },
    });
    acknowledgeCdkInternals(this);

    new CfnOutput(this, 'ApiUrl', {
      value: this.edge.url,
      description: 'Base URL of the API (CloudFront + WAF; the execute-api URL refuses direct calls)',
    });
    new CfnOutput(this, 'ExecuteApiUrl', {
      value: this.api.stage.url,
      description:
        'The HTTP API itself: refuses calls that did not come through CloudFront (npm run smoke checks it)',
    });
    new CfnOutput(this, 'LiveUrl', {
      value: this.edge.routeLiveUpdates(realtime.webSocketApi, realtime.liveFunction),
      description:
        'Live updates (WebSocket, CloudFront + WAF): connect with ?token=<access token>; the WebSocket ' +
        "API's own URL refuses handshakes that skip CloudFront",
    });
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
      value: `${this.edge.url}${REPLICATE_WEBHOOK_PATH}`,
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
    new CfnOutput(this, 'MailIdentity', {
      value: mail.identity.emailIdentityName,
      description: 'SES sender domain: publish the DkimRecords CNAMEs, then leave the SES sandbox (README)',
    });
    new CfnOutput(this, 'MailDkimRecords', {
      value: Fn.join(
        ' ',
        mail.identity.dkimRecords.map((r) => Fn.join('', [r.name, ' CNAME ', r.value])),
      ),
      description: 'The three Easy DKIM CNAME records of the sender domain',
    });
    new CfnOutput(this, 'MailConfigurationSet', {
      value: mail.configurationSet.configurationSetName,
      description: 'SES configuration set every mail is sent with',
    });
    new CfnOutput(this, 'Stage', { value: config.stage, description: 'Deployment stage' });
  }
}

/**
 * The region of the main stack: `-c region=…`, else the CLI's (CDK_DEFAULT_REGION, from AWS_REGION
 * or the profile). It must be known at synth time because the web ACL lives in us-east-1 and
 * reaches this stack through a cross-region reference; synth still needs no network or credentials.
 */
export function regionOf(app: App): string {
  const region =
    app.node.tryGetContext('region') ?? process.env.CDK_DEFAULT_REGION ?? process.env.AWS_REGION ?? undefined;
  if (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new Error(
      `Set the region to deploy to: export AWS_REGION=eu-west-1 (or -c region=eu-west-1); got ${String(region)}`,
    );
  }
  return region;
}

/**
 * Adds the stacks to an app, configured from context (`-c stage=dev|prod`, `-c region=…`,
 * `-c corsOrigins=…`, `-c reservedConcurrency=true`, `-c mediaDomain=… -c mediaCertificateArn=…`):
 * the us-east-1 web ACL stack and the main stack, which it returns.
 */
export function createLokizStack(app: App): LokizStack {
  const stage = parseStage(app.node.tryGetContext('stage'));
  const config = stageConfig(stage, {
    corsOrigins: app.node.tryGetContext('corsOrigins'),
    reservedConcurrency: app.node.tryGetContext('reservedConcurrency'),
    mailDomain: app.node.tryGetContext('mailDomain'),
    appUrl: app.node.tryGetContext('appUrl'),
    apnsPlatformApplicationArn: app.node.tryGetContext('apnsPlatformApplicationArn'),
    fcmPlatformApplicationArn: app.node.tryGetContext('fcmPlatformApplicationArn'),
  });
  // The account stays unresolved offline (no lookups need it); the CLI fills it in at deploy time.
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const edge = new EdgeAclStack(app, 'LokizEdgeStack', {
    config,
    env: { account, region: EDGE_REGION },
    crossRegionReferences: true,
    stackName: `lokiz-${stage}-edge`,
    description: `LOKIZ API web ACL (${stage}); must be in ${EDGE_REGION} for CloudFront`,
  });
  const stack = new LokizStack(app, 'LokizStack', {
    config,
    mediaDomain: mediaDomainFromContext(
      app.node.tryGetContext('mediaDomain'),
      app.node.tryGetContext('mediaCertificateArn'),
    ),
    webAclArn: edge.webAcl.attrArn,
    env: { account, region: regionOf(app) },
    crossRegionReferences: true,
    // Distinct CloudFormation names let dev and prod share an account.
    stackName: `lokiz-${stage}`,
    description: `LOKIZ backend (${stage})`,
  });
  for (const s of [edge, stack]) {
    Tags.of(s).add('project', 'lokiz');
    Tags.of(s).add('stage', stage);
  }
  return stack;
}
