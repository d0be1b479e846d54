import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DOMAINS, type Domain } from '../shared/http/route.ts';
import { nodejsBundling, RUNTIME_NODE_OPTIONS } from './bundling.ts';
import { DATABASE_NAME } from './database.ts';
import { FFMPEG_PATH, FFPROBE_PATH } from './ffmpeg.ts';
import { type FunctionName, LIVE_FUNCTION, sizingOf } from './function-sizing.ts';
import { REPO_ROOT, repoPath } from './paths.ts';
import { domainsWithRoutes, pascal, usesAccessTokens } from './route-table.ts';
import type { StageConfig } from './stage.ts';

/** What every LOKIZ Lambda needs: network placement, the DB behind its proxy, the JWT key. */
export interface LambdaRuntime {
  config: StageConfig;
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
  /** The application role's secret: what every function but migrate connects with. */
  databaseSecret: secretsmanager.ISecret;
  /** The owner's secret: the migrate worker's only. */
  ownerDatabaseSecret: secretsmanager.ISecret;
  databaseProxyEndpoint: string;
  jwtSecret: secretsmanager.ISecret;
  /** Attached to the functions whose FUNCTION_SIZING entry says `ffmpeg`. */
  ffmpegLayer: lambda.ILayerVersion;
}

/**
 * A domain's entry is `functions/<domain>/index.ts`, the WebSocket API's `functions/realtime/index.ts`,
 * a worker's `functions/workers/<name>.ts`.
 */
export function entryOf(name: FunctionName): string {
  if (name === LIVE_FUNCTION) return 'functions/realtime/index.ts';
  return (DOMAINS as readonly string[]).includes(name)
    ? `functions/${name}/index.ts`
    : `functions/workers/${name}.ts`;
}

/** Lambda's own log filter (Advanced Logging Controls), kept equal to POWERTOOLS_LOG_LEVEL. */
export const LOG_LEVEL = 'INFO';

/**
 * What a VPC Lambda's execution role needs to create and remove its network interfaces: exactly
 * the EC2 actions of the AWS managed AWSLambdaVPCAccessExecutionRole. The Describe actions
 * support no resource-level permissions, so these are granted on `*`.
 */
export const VPC_ENI_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
] as const;
/** Added by `tracing: ACTIVE`; X-Ray has no resource-level permissions either. */
export const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

export interface LokizFunctionOptions {
  /**
   * POWERTOOLS_SERVICE_NAME suffix (`lokiz-<service>`), its FUNCTION_SIZING key, and its entry
   * (`entryOf`, which must export `handler`).
   */
  service: FunctionName;
  /** Added to the common environment. */
  environment?: Record<string, string>;
  /** Functions that never verify or issue a user's token don't get the JWT key. Default true. */
  jwt?: boolean;
  /** The database credentials it connects with (default: the application role's). */
  databaseSecret?: secretsmanager.ISecret;
}

/**
 * One LOKIZ Lambda (API domain or worker) with its log group, env and secret grants, sized by
 * its FUNCTION_SIZING entry.
 */
export function createLokizFunction(
  scope: Construct,
  id: string,
  runtime: LambdaRuntime,
  options: LokizFunctionOptions,
): NodejsFunction {
  const { config } = runtime;
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: config.logRetention,
    removalPolicy: config.removalPolicy,
  });
  const jwt = options.jwt ?? true;
  const databaseSecret = options.databaseSecret ?? runtime.databaseSecret;
  const sizing = sizingOf(options.service);
  // Its own role instead of the AWS managed execution policies, which allow logs:* writes to
  // every log group: this one writes to its own log group only.
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `LOKIZ ${config.stage} lokiz-${options.service} Lambda`,
    inlinePolicies: {
      execution: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [logGroup.logGroupArn],
          }),
          new iam.PolicyStatement({ actions: [...VPC_ENI_ACTIONS], resources: ['*'] }),
        ],
      }),
    },
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only the EC2 network-interface actions a VPC Lambda needs (VPC_ENI_ACTIONS) and, with tracing, ' +
      'the X-Ray writes (XRAY_ACTIONS): neither supports resource-level permissions. ' +
      'test/infra/security.test.ts fails if any other action is granted on "*".',
  });
  const fn = new NodejsFunction(scope, id, {
    entry: repoPath(entryOf(options.service)),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    // arm64 is cheaper; the ffmpeg binaries exist for x86-64 only.
    architecture: sizing.ffmpeg ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
    memorySize: sizing.memorySize,
    timeout: sizing.timeout,
    ephemeralStorageSize: sizing.ephemeralStorage,
    // Opt-in (-c reservedConcurrency=true): new accounts may not have the quota for it.
    reservedConcurrentExecutions: config.reservedConcurrency ? sizing.reservedConcurrency : undefined,
    layers: sizing.ffmpeg ? [runtime.ffmpegLayer] : undefined,
    projectRoot: REPO_ROOT,
    depsLockFilePath: repoPath('package-lock.json'),
    bundling: nodejsBundling(options.service),
    role,
    vpc: runtime.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroups: [runtime.securityGroup],
    logGroup,
    // Powertools Logger writes JSON lines itself; JSON format makes Lambda's own lines (START,
    // REPORT, errors) JSON too, and applies the level filter (Powertools follows it).
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: lambda.ApplicationLogLevel[LOG_LEVEL],
    systemLogLevelV2: lambda.SystemLogLevel[LOG_LEVEL],
    tracing: config.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
    environment: {
      NODE_ENV: 'production',
      ...(RUNTIME_NODE_OPTIONS.length ? { NODE_OPTIONS: RUNTIME_NODE_OPTIONS.join(' ') } : {}),
      POWERTOOLS_SERVICE_NAME: `lokiz-${options.service}`,
      POWERTOOLS_LOG_LEVEL: LOG_LEVEL,
      DATABASE_SECRET_ARN: databaseSecret.secretArn,
      DATABASE_HOST: runtime.databaseProxyEndpoint,
      DATABASE_NAME,
      DATABASE_SSL: 'true',
      ...(jwt ? { JWT_SECRET_ARN: runtime.jwtSecret.secretArn } : {}),
      ...(sizing.ffmpeg ? { FFMPEG_PATH, FFPROBE_PATH } : {}),
      ...options.environment,
    },
  });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Node.js 22 on purpose: the newest runtime the code and its tests run on (engines >= 20.11, ' +
      'esbuild target node22); moving to Node 24 is a deliberate upgrade, not a synth-time default.',
  });
  databaseSecret.grantRead(fn);
  if (jwt) runtime.jwtSecret.grantRead(fn);
  return fn;
}

/** One Lambda per domain that has routes; entry `functions/<domain>/index.ts`. */
export class DomainFunctions extends Construct {
  readonly byDomain: ReadonlyMap<Domain, NodejsFunction>;

  constructor(scope: Construct, id: string, props: { runtime: LambdaRuntime }) {
    super(scope, id);
    const byDomain = new Map<Domain, NodejsFunction>();
    for (const domain of domainsWithRoutes()) {
      const fn = createLokizFunction(this, `${pascal(domain)}Function`, props.runtime, {
        service: domain,
        jwt: usesAccessTokens(domain),
      });
      byDomain.set(domain, fn);
    }
    this.byDomain = byDomain;
  }
}
