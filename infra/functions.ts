import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Domain } from '../shared/http/route.ts';
import { DATABASE_NAME } from './database.ts';
import { FFMPEG_EXTERNAL_MODULES, FFMPEG_PATH, FFPROBE_PATH } from './ffmpeg.ts';
import { type FunctionName, sizingOf } from './function-sizing.ts';
import { REPO_ROOT, repoPath } from './paths.ts';
import { domainsWithRoutes, pascal, usesAccessTokens } from './route-table.ts';
import type { StageConfig } from './stage.ts';

/** What every LOKIZ Lambda needs: network placement, the DB behind its proxy, the JWT key. */
export interface LambdaRuntime {
  config: StageConfig;
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
  databaseSecret: secretsmanager.ISecret;
  databaseProxyEndpoint: string;
  jwtSecret: secretsmanager.ISecret;
  /** Attached to the functions whose FUNCTION_SIZING entry says `ffmpeg`. */
  ffmpegLayer: lambda.ILayerVersion;
}

export interface LokizFunctionOptions {
  /** Entry file relative to the repo root; it must export `handler`. */
  entry: string;
  /** POWERTOOLS_SERVICE_NAME suffix (`lokiz-<service>`) and its FUNCTION_SIZING key. */
  service: FunctionName;
  /** Added to the common environment. */
  environment?: Record<string, string>;
  /** Functions that never verify or issue a user's token don't get the JWT key. Default true. */
  jwt?: boolean;
}

/** Bundled locally with esbuild (no Docker), as ESM for Node 22. */
const bundling = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  minify: true,
  sourceMap: true,
  target: 'node22',
  // The Node 22 runtime ships AWS SDK v3.
  externalModules: ['@aws-sdk/*'],
  mainFields: ['module', 'main'],
  // pg and bcryptjs call `require` at runtime, which an ESM bundle doesn't define by itself.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
};

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
  const sizing = sizingOf(options.service);
  const fn = new NodejsFunction(scope, id, {
    entry: repoPath(options.entry),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    // arm64 is cheaper; the ffmpeg binaries exist for x86-64 only.
    architecture: sizing.ffmpeg ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
    memorySize: sizing.memorySize,
    timeout: sizing.timeout,
    ephemeralStorageSize: sizing.ephemeralStorage,
    reservedConcurrentExecutions: sizing.reservedConcurrency,
    layers: sizing.ffmpeg ? [runtime.ffmpegLayer] : undefined,
    projectRoot: REPO_ROOT,
    depsLockFilePath: repoPath('package-lock.json'),
    bundling: {
      ...bundling,
      externalModules: [...bundling.externalModules, ...(sizing.ffmpeg ? FFMPEG_EXTERNAL_MODULES : [])],
    },
    vpc: runtime.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroups: [runtime.securityGroup],
    logGroup,
    environment: {
      NODE_ENV: 'production',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: `lokiz-${options.service}`,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      DATABASE_SECRET_ARN: runtime.databaseSecret.secretArn,
      DATABASE_HOST: runtime.databaseProxyEndpoint,
      DATABASE_NAME,
      DATABASE_SSL: 'true',
      ...(jwt ? { JWT_SECRET_ARN: runtime.jwtSecret.secretArn } : {}),
      ...(sizing.ffmpeg ? { FFMPEG_PATH, FFPROBE_PATH } : {}),
      ...options.environment,
    },
  });
  runtime.databaseSecret.grantRead(fn);
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
        entry: `functions/${domain}/index.ts`,
        service: domain,
        jwt: usesAccessTokens(domain),
      });
      byDomain.set(domain, fn);
    }
    this.byDomain = byDomain;
  }
}
