import { execFileSync } from 'node:child_process';
import { AssetHashType, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Domain } from '../shared/http/route.ts';
import { RUNTIME_NODE_OPTIONS } from './bundling.ts';
import { DATABASE_NAME } from './database.ts';
import { FFMPEG_PATH, FFPROBE_PATH } from './ffmpeg.ts';
import { type FunctionName, sizingOf } from './function-sizing.ts';
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

export { entryOf } from './entries.ts';

/**
 * A function's code: its bundle, built on this machine by `bundleFunction` (infra/bundling.ts) in
 * a child process (CDK's local bundling is synchronous; esbuild's plugins need its async API).
 * The asset is hashed from the bundle, like NodejsFunction's. The Docker image is never used:
 * local bundling either succeeds or fails the synth.
 */
export function functionCode(name: FunctionName): lambda.Code {
  return lambda.Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: lambda.Runtime.NODEJS_22_X.bundlingImage,
      // CDK reuses a bundle for assets whose source and bundling options are equal (it can't see
      // into tryBundle), so the function's name must be part of them.
      command: [
        'sh',
        '-c',
        `echo "LOKIZ bundles ${name} on the host (infra/bundle-function.ts)" >&2; exit 1`,
      ],
      environment: { LOKIZ_FUNCTION: name },
      local: {
        tryBundle(outputDir) {
          execFileSync(
            process.execPath,
            ['--import', 'tsx', repoPath('infra/bundle-function.ts'), name, outputDir],
            // Its output to stderr: a CDK app's stdout is not for logs.
            { cwd: REPO_ROOT, stdio: ['ignore', 2, 2] },
          );
          return true;
        },
      },
    },
  });
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
): lambda.Function {
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
  const fn = new lambda.Function(scope, id, {
    code: functionCode(options.service),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    // arm64 is cheaper; the ffmpeg binaries exist for x86-64 only.
    architecture: sizing.ffmpeg ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
    memorySize: sizing.memorySize,
    timeout: sizing.timeout,
    ephemeralStorageSize: sizing.ephemeralStorage,
    // Opt-in (-c reservedConcurrency=true): new accounts may not have the quota for it.
    reservedConcurrentExecutions: config.reservedConcurrency ? sizing.reservedConcurrency : undefined,
    layers: sizing.ffmpeg ? [runtime.ffmpegLayer] : undefined,
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
  readonly byDomain: ReadonlyMap<Domain, lambda.Function>;

  constructor(scope: Construct, id: string, props: { runtime: LambdaRuntime }) {
    super(scope, id);
    const byDomain = new Map<Domain, lambda.Function>();
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
