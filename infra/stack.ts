import { type App, CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api } from './api.ts';
import { Database } from './database.ts';
import { DomainFunctions, type LambdaRuntime } from './functions.ts';
import { Migrations } from './migrations.ts';
import { Network } from './network.ts';
import { AppSecrets } from './secrets.ts';
import { parseStage, type StageConfig, stageConfig } from './stage.ts';

export interface LokizStackProps extends StackProps {
  config: StageConfig;
}

/** The whole backend: VPC, PostgreSQL + RDS Proxy, secrets, one Lambda per domain, HTTP API. */
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

    const runtime: LambdaRuntime = {
      config,
      vpc: network.vpc,
      securityGroup: network.lambdaSecurityGroup,
      databaseSecret: database.secret,
      databaseProxyEndpoint: database.proxy.endpoint,
      jwtSecret: secrets.jwtSecret,
    };
    const functions = new DomainFunctions(this, 'Functions', { runtime });
    new Migrations(this, 'Migrations', { runtime, after: [database], before: [functions] });
    this.api = new Api(this, 'Api', { config, functions: functions.byDomain });

    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'Stage', { value: config.stage, description: 'Deployment stage' });
  }
}

/** Adds the one stack to an app, configured from context (`-c stage=dev|prod`, `-c corsOrigins=…`). */
export function createLokizStack(app: App): LokizStack {
  const stage = parseStage(app.node.tryGetContext('stage'));
  const config = stageConfig(stage, { corsOrigins: app.node.tryGetContext('corsOrigins') });
  const stack = new LokizStack(app, 'LokizStack', {
    config,
    // Distinct CloudFormation names let dev and prod share an account.
    stackName: `lokiz-${stage}`,
    description: `LOKIZ backend (${stage})`,
  });
  Tags.of(stack).add('project', 'lokiz');
  Tags.of(stack).add('stage', stage);
  return stack;
}
