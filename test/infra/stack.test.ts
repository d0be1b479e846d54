import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { THROTTLE_LIMITS } from '../../infra/api.ts';
import { DATABASE_ROTATION_PERIOD } from '../../infra/database.ts';
import { type FunctionName, LIVE_FUNCTION, sizingOf, WORKERS } from '../../infra/function-sizing.ts';
import { domainsWithRoutes, usesAccessTokens } from '../../infra/route-table.ts';
import type { Stage } from '../../infra/stage.ts';
import { APP_DB_ROLE } from '../../shared/db/roles.ts';
import { DOMAINS, type Domain, type RouteDef, routeKey } from '../../shared/http/route.ts';
import {
  apiDistribution,
  apiIdOf,
  type CfnResource,
  envOf,
  functionsByService,
  mediaDistribution,
  propsOf,
  referencedId,
  resourcesOfApi,
  resourcesOfType,
  synthStack,
  synthTemplate,
} from './synth.ts';

const ROUTES: RouteDef[] = Object.values(routes);
/** Derived from the route table, like the stack itself. */
const DOMAINS_WITH_ROUTES = [...new Set(ROUTES.map((r) => r.domain))];
/** Lambdas that serve no routes. */
const WORKER_SERVICES = WORKERS.map((w) => `lokiz-${w}`);
/** `lokiz-auth` → `auth`. */
const nameOf = (service: string) => service.replace(/^lokiz-/, '') as FunctionName;

let dev: Template;
let prod: Template;
beforeAll(() => {
  dev = synthTemplate('dev');
  prod = synthTemplate('prod');
});

function onlyResource(template: Template, type: string): [string, CfnResource] {
  const entries = Object.entries(resourcesOfType(template, type));
  expect(entries, type).toHaveLength(1);
  return entries[0]!;
}

/** Ingress rules (inline and standalone) whose target is the given security group. */
function ingressInto(template: Template, groupId: string): Record<string, unknown>[] {
  const inline = (resourcesOfType(template, 'AWS::EC2::SecurityGroup')[groupId]?.Properties
    ?.SecurityGroupIngress ?? []) as Record<string, unknown>[];
  const standalone = Object.values(resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress'))
    .map((r) => r.Properties ?? {})
    .filter((p) => referencedId(p.GroupId) === groupId);
  return [...inline, ...standalone];
}

describe('database', () => {
  it('is an encrypted, private PostgreSQL instance named lokiz in isolated subnets', () => {
    const [, instance] = onlyResource(dev, 'AWS::RDS::DBInstance');
    expect(instance.Properties).toMatchObject({
      Engine: 'postgres',
      StorageEncrypted: true,
      PubliclyAccessible: false,
      DBName: 'lokiz',
      MasterUsername: 'lokiz_admin',
    });
    const subnetGroup = resourcesOfType(dev, 'AWS::RDS::DBSubnetGroup')[
      referencedId(instance.Properties?.DBSubnetGroupName)!
    ];
    const subnets = resourcesOfType(dev, 'AWS::EC2::Subnet');
    for (const ref of propsOf(subnetGroup, 'DB subnet group').SubnetIds as unknown[]) {
      const tags = propsOf(subnets[referencedId(ref)!], 'subnet').Tags as { Key: string; Value: string }[];
      expect(tags).toContainEqual({ Key: 'aws-cdk:subnet-type', Value: 'Isolated' });
    }
  });

  it('sits behind an RDS Proxy that requires TLS and knows both roles: the owner and the application', () => {
    const [, proxy] = onlyResource(dev, 'AWS::RDS::DBProxy');
    expect(proxy.Properties).toMatchObject({ EngineFamily: 'POSTGRESQL', RequireTLS: true });
    const attachments = Object.keys(resourcesOfType(dev, 'AWS::SecretsManager::SecretTargetAttachment'));
    expect(attachments).toHaveLength(2);
    expect(proxy.Properties?.Auth).toEqual(
      attachments.map((id) => expect.objectContaining({ AuthScheme: 'SECRETS', SecretArn: { Ref: id } })),
    );
  });

  it('connects every function as the application role, migrations as the owner; both secrets rotate', () => {
    const services = functionsByService(dev);
    const secretOf = (service: string) =>
      referencedId(envOf(dev, services.get(service)!).DATABASE_SECRET_ARN);
    const attachments = resourcesOfType(dev, 'AWS::SecretsManager::SecretTargetAttachment');
    const usernameOf = (attachmentId: string) => {
      const secretId = referencedId(attachments[attachmentId]?.Properties?.SecretId)!;
      const secret = resourcesOfType(dev, 'AWS::SecretsManager::Secret')[secretId];
      const generate = secret?.Properties?.GenerateSecretString as { SecretStringTemplate: string };
      return JSON.parse(generate.SecretStringTemplate).username;
    };
    const app = secretOf('lokiz-auth')!;
    expect(usernameOf(app)).toBe(APP_DB_ROLE);
    for (const [service] of services) {
      if (service === 'lokiz-migrate') continue;
      expect(secretOf(service), service).toBe(app);
    }
    const owner = secretOf('lokiz-migrate')!;
    expect(usernameOf(owner)).toBe('lokiz_admin');
    expect(referencedId(envOf(dev, services.get('lokiz-migrate')!).APP_DATABASE_SECRET_ARN)).toBe(app);

    const schedules = Object.values(resourcesOfType(dev, 'AWS::SecretsManager::RotationSchedule'));
    expect(schedules.map((s) => referencedId(s.Properties?.SecretId)).sort()).toEqual([app, owner].sort());
    for (const schedule of schedules) {
      expect(schedule.Properties).toMatchObject({
        RotationRules: { ScheduleExpression: `rate(${DATABASE_ROTATION_PERIOD.toDays()} days)` },
        // The app role logs in only after the migrate trigger: no rotation at creation.
        RotateImmediatelyOnUpdate: false,
      });
      // AWS's PostgreSQL single-user rotation function (Serverless Application Repository).
      const rotation = resourcesOfType(dev, 'AWS::Serverless::Application')[
        referencedId(schedule.Properties?.RotationLambdaARN)!
      ];
      const location = rotation?.Properties?.Location as { ApplicationId: { 'Fn::FindInMap': string[] } };
      const mapping = (dev.toJSON().Mappings as Record<string, unknown>)[
        location.ApplicationId['Fn::FindInMap'][0]!
      ];
      expect(JSON.stringify(mapping)).toContain('SecretsManagerRDSPostgreSQLRotationSingleUser');
    }
  });

  it('admits PostgreSQL on the proxy only from the Lambda security group', () => {
    const [, proxy] = onlyResource(dev, 'AWS::RDS::DBProxy');
    const proxyGroups = proxy.Properties?.VpcSecurityGroupIds as unknown[];
    expect(proxyGroups).toHaveLength(1);
    const rules = ingressInto(dev, referencedId(proxyGroups[0])!);
    expect(rules).toHaveLength(1);
    const lambdaGroupId = Object.keys(
      dev.findResources('AWS::EC2::SecurityGroup', {
        Properties: { GroupDescription: 'LOKIZ Lambda functions' },
      }),
    )[0];
    expect(rules[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
    expect(referencedId(rules[0]!.SourceSecurityGroupId)).toBe(lambdaGroupId);
  });

  it('is disposable in dev', () => {
    dev.hasResource('AWS::RDS::DBInstance', {
      Properties: Match.objectLike({
        DeletionProtection: false,
        MultiAZ: false,
        DBInstanceClass: 'db.t4g.micro',
      }),
      DeletionPolicy: 'Delete',
    });
    dev.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  it('is protected and highly available in prod', () => {
    prod.hasResource('AWS::RDS::DBInstance', {
      Properties: Match.objectLike({ DeletionProtection: true, MultiAZ: true, BackupRetentionPeriod: 14 }),
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
    });
    prod.resourceCountIs('AWS::EC2::NatGateway', 2);
  });
});

describe('secrets', () => {
  it('generates the DB admin secret and a 64-character alphanumeric JWT key', () => {
    dev.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: JSON.stringify({ username: 'lokiz_admin' }),
        GenerateStringKey: 'password',
      }),
    });
    // No template: the SecretString is the raw key.
    dev.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { ExcludePunctuation: true, PasswordLength: 64 },
    });
  });

  it('keeps every secret when a prod stack is deleted', () => {
    for (const secret of Object.values(resourcesOfType(prod, 'AWS::SecretsManager::Secret'))) {
      expect(secret.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('functions', () => {
  it('creates exactly one Lambda per domain that has routes', () => {
    expect(domainsWithRoutes()).toEqual(expect.arrayContaining(DOMAINS_WITH_ROUTES));
    const services = [...functionsByService(dev).keys()].filter((s) => !WORKER_SERVICES.includes(s)).sort();
    expect(services).toEqual(DOMAINS_WITH_ROUTES.map((d) => `lokiz-${d}`).sort());
    // …and every worker exists.
    expect([...functionsByService(dev).keys()]).toEqual(expect.arrayContaining(WORKER_SERVICES));
  });

  it('runs them on Node 22 / arm64 (ffmpeg: x86-64) in the VPC with the database and JWT wiring', () => {
    const [proxyId] = onlyResource(dev, 'AWS::RDS::DBProxy');
    const lambdas = resourcesOfType(dev, 'AWS::Lambda::Function');
    for (const [service, id] of functionsByService(dev)) {
      const props = propsOf(lambdas[id], service);
      const sizing = sizingOf(nameOf(service));
      expect(props, service).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: [sizing.ffmpeg ? 'x86_64' : 'arm64'],
        Handler: 'index.handler',
        MemorySize: sizing.memorySize,
        Timeout: sizing.timeout.toSeconds(),
      });
      expect((props.VpcConfig as { SubnetIds: unknown[] }).SubnetIds, service).toHaveLength(2);
      const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env).toMatchObject({ DATABASE_NAME: 'lokiz', DATABASE_SSL: 'true', NODE_ENV: 'production' });
      expect(env.DATABASE_HOST).toEqual({ 'Fn::GetAtt': [proxyId, 'Endpoint'] });
      // Only functions that verify or issue user tokens get the key (not workers, health, webhooks);
      // the WebSocket API's verifies them on $connect.
      const name = nameOf(service);
      const jwt =
        name === LIVE_FUNCTION ||
        ((DOMAINS as readonly string[]).includes(name) && usesAccessTokens(name as Domain));
      if (jwt) expect(env.JWT_SECRET_ARN, service).toBeDefined();
      else expect(env.JWT_SECRET_ARN, service).toBeUndefined();
      expect(env.DATABASE_SECRET_ARN).toBeDefined();
    }
  });

  it('keeps logs for one month in dev and three in prod', () => {
    for (const [template, days] of [
      [dev, 30],
      [prod, 90],
    ] as const) {
      const groups = Object.values(resourcesOfType(template, 'AWS::Logs::LogGroup'));
      expect(groups.length).toBeGreaterThan(0);
      for (const group of groups) expect(group.Properties?.RetentionInDays).toBe(days);
    }
  });
});

describe('http api', () => {
  it('is one HTTP API with a $default stage (next to the WebSocket API)', () => {
    dev.resourceCountIs('AWS::ApiGatewayV2::Api', 2);
    const [stage, ...others] = Object.values(
      resourcesOfApi(dev, 'AWS::ApiGatewayV2::Stage', apiIdOf(dev, 'HTTP')),
    );
    expect(others).toEqual([]);
    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: expect.anything(), Format: expect.any(String) },
    });
  });

  it('routes every entry of the route table to its domain Lambda, and nothing else', () => {
    const httpApi = apiIdOf(dev, 'HTTP');
    const apiRoutes = Object.values(resourcesOfApi(dev, 'AWS::ApiGatewayV2::Route', httpApi));
    const integrations = resourcesOfApi(dev, 'AWS::ApiGatewayV2::Integration', httpApi);
    const lambdaIdByService = functionsByService(dev);

    expect(apiRoutes.map((r) => r.Properties?.RouteKey).sort()).toEqual(ROUTES.map(routeKey).sort());
    for (const def of ROUTES) {
      const key = routeKey(def);
      const route = apiRoutes.find((r) => r.Properties?.RouteKey === key);
      // Target: {Fn::Join: ['', ['integrations/', {Ref: <integration>}]]}
      const [, parts] = (propsOf(route, key).Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
      const integration = integrations[referencedId(parts[1])!];
      expect(integration?.Properties, key).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
      expect(referencedId(integration?.Properties?.IntegrationUri), key).toBe(
        lambdaIdByService.get(`lokiz-${def.domain}`),
      );
    }
  });

  it("declares the seed's trailing-slash feed path as its own route", () => {
    const keys = Object.values(resourcesOfType(dev, 'AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties?.RouteKey,
    );
    expect(keys).toEqual(expect.arrayContaining(['GET /v1/videos', 'GET /v1/videos/']));
  });

  it('lets the HTTP API invoke each domain Lambda through one API-wide permission, not one per route', () => {
    const httpApi = apiIdOf(dev, 'HTTP');
    const fromHttpApi = Object.values(resourcesOfType(dev, 'AWS::Lambda::Permission')).filter((p) =>
      JSON.stringify(p.Properties?.SourceArn).includes(`"Ref":"${httpApi}"`),
    );
    expect(fromHttpApi).toHaveLength(DOMAINS_WITH_ROUTES.length);
    for (const p of fromHttpApi) {
      expect(p.Properties?.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(p.Properties?.SourceArn)).toMatch(/\/\*\/\*"\]\]\}$/);
    }
    // The whole stack stays clear of CloudFormation's 500-resource limit.
    expect(Object.keys(dev.toJSON().Resources).length).toBeLessThanOrEqual(450);
  });

  it('shares one integration per domain', () => {
    const integrations = resourcesOfApi(dev, 'AWS::ApiGatewayV2::Integration', apiIdOf(dev, 'HTTP'));
    expect(Object.keys(integrations)).toHaveLength(DOMAINS_WITH_ROUTES.length);
  });

  it('throttles sign-up, sign-in and token refresh, and every paid or ffmpeg-heavy call, tighter', () => {
    const classOf = (method: string, path: string) =>
      ROUTES.find((r) => r.method === method && r.path === path)?.throttle ?? 'default';
    for (const path of ['/v1/auth/register', '/v1/auth/login', '/v1/auth/refresh']) {
      expect(classOf('POST', path), path).toBe('auth');
    }
    for (const path of [
      '/v1/ai/capture-frame',
      '/v1/ai/template',
      '/v1/ai/glitch/animate',
      '/v1/ai/glitch/replace',
      '/v1/ai/music',
      '/v1/studio/videos/{id}/select-range',
    ]) {
      expect(classOf('POST', path), path).toBe('ai');
    }
    for (const tight of [THROTTLE_LIMITS.auth, THROTTLE_LIMITS.ai]) {
      expect(tight.rateLimit!).toBeLessThan(THROTTLE_LIMITS.default.rateLimit!);
      expect(tight.burstLimit!).toBeLessThan(THROTTLE_LIMITS.default.burstLimit!);
    }
  });

  it.each(['dev', 'prod'] as const)('throttles routes by their throttle class (%s)', (stageName) => {
    const template = stageName === 'dev' ? dev : prod;
    const [stage] = Object.values(
      resourcesOfApi(template, 'AWS::ApiGatewayV2::Stage', apiIdOf(template, 'HTTP')),
    );
    expect(stage?.Properties?.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: THROTTLE_LIMITS.default.rateLimit,
      ThrottlingBurstLimit: THROTTLE_LIMITS.default.burstLimit,
    });
    const settings = (stage?.Properties?.RouteSettings ?? {}) as Record<string, unknown>;
    const special = ROUTES.filter((r) => r.throttle && r.throttle !== 'default');
    expect(Object.keys(settings).sort()).toEqual(special.map(routeKey).sort());
    for (const def of special) {
      const limits = THROTTLE_LIMITS[def.throttle!];
      expect(settings[routeKey(def)]).toEqual({
        ThrottlingRateLimit: limits.rateLimit,
        ThrottlingBurstLimit: limits.burstLimit,
      });
    }
  });

  it('allows any origin in dev and no CORS by default in prod', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['*'],
        AllowHeaders: ['authorization', 'content-type'],
        AllowMethods: Match.arrayWith(['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS']),
      }),
    });
    prod.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.absent(),
    });
  });
});

describe('migrations', () => {
  it('runs the migrate worker as a deploy-time trigger after the database, before the API code', () => {
    const [triggerId, trigger] = onlyResource(dev, 'Custom::Trigger');
    const migrateId = functionsByService(dev).get('lokiz-migrate')!;
    expect(migrateId).toBeDefined();
    expect(trigger.Properties?.ExecuteOnHandlerChange).toBe(true);
    const version = resourcesOfType(dev, 'AWS::Lambda::Version')[
      referencedId(trigger.Properties?.HandlerArn)!
    ];
    expect(referencedId(version?.Properties?.FunctionName)).toBe(migrateId);

    const [instanceId] = onlyResource(dev, 'AWS::RDS::DBInstance');
    const [proxyId] = onlyResource(dev, 'AWS::RDS::DBProxy');
    const [targetGroupId] = onlyResource(dev, 'AWS::RDS::DBProxyTargetGroup');
    expect(trigger.DependsOn).toEqual(expect.arrayContaining([instanceId, proxyId, targetGroupId]));

    const lambdas = resourcesOfType(dev, 'AWS::Lambda::Function');
    const dbUsers = [...DOMAINS_WITH_ROUTES, ...WORKERS.filter((w) => w !== 'migrate')];
    for (const name of dbUsers) {
      const id = functionsByService(dev).get(`lokiz-${name}`)!;
      expect(lambdas[id]?.DependsOn, name).toContain(triggerId);
    }
  });
});

describe('stages', () => {
  /** Everything `-c stage=dev|prod` switches, as the template shows it. */
  function safety(template: Template) {
    const [, instance] = onlyResource(template, 'AWS::RDS::DBInstance');
    const policies = (type: string) => [
      ...new Set(Object.values(resourcesOfType(template, type)).map((r) => r.DeletionPolicy ?? 'Delete')),
    ];
    const logsBucket = Object.values(resourcesOfType(template, 'AWS::S3::Bucket')).find(
      (b) => b.Properties?.LoggingConfiguration === undefined,
    );
    return {
      database: {
        class: instance.Properties?.DBInstanceClass,
        multiAz: instance.Properties?.MultiAZ,
        deletionProtection: instance.Properties?.DeletionProtection,
        backupDays: instance.Properties?.BackupRetentionPeriod,
        onStackDeletion: instance.DeletionPolicy,
      },
      natGateways: Object.keys(resourcesOfType(template, 'AWS::EC2::NatGateway')).length,
      buckets: policies('AWS::S3::Bucket'),
      emptiedOnDeletion: Object.keys(resourcesOfType(template, 'Custom::S3AutoDeleteObjects')).length,
      accessLogDays: (
        propsOf(logsBucket, 'access-log bucket').LifecycleConfiguration as {
          Rules: { ExpirationInDays?: number }[];
        }
      ).Rules[0]?.ExpirationInDays,
      secrets: policies('AWS::SecretsManager::Secret'),
      queues: policies('AWS::SQS::Queue'),
      logGroups: policies('AWS::Logs::LogGroup'),
      logDays: [
        ...new Set(
          Object.values(resourcesOfType(template, 'AWS::Logs::LogGroup')).map(
            (g) => g.Properties?.RetentionInDays,
          ),
        ),
      ],
      alarmKey: policies('AWS::KMS::Key'),
    };
  }

  it('makes dev cheap and destroyable', () => {
    expect(safety(dev)).toEqual({
      database: {
        class: 'db.t4g.micro',
        multiAz: false,
        deletionProtection: false,
        backupDays: 1,
        onStackDeletion: 'Delete',
      },
      natGateways: 1,
      buckets: ['Delete'],
      emptiedOnDeletion: 3,
      accessLogDays: 30,
      secrets: ['Delete'],
      queues: ['Delete'],
      logGroups: ['Delete'],
      logDays: [30],
      alarmKey: ['Delete'],
    });
  });

  it('makes prod protected, highly available and data-keeping', () => {
    expect(safety(prod)).toEqual({
      database: {
        class: 'db.t4g.medium',
        multiAz: true,
        deletionProtection: true,
        backupDays: 14,
        onStackDeletion: 'Snapshot',
      },
      natGateways: 2,
      buckets: ['Retain'],
      emptiedOnDeletion: 0,
      accessLogDays: 365,
      secrets: ['Retain'],
      queues: ['Retain'],
      logGroups: ['Retain'],
      logDays: [90],
      alarmKey: ['Retain'],
    });
  });

  it('names the CloudFormation stack after the stage, so both fit in one account', () => {
    expect(synthStack('dev').stackName).toBe('lokiz-dev');
    expect(synthStack('prod').stackName).toBe('lokiz-prod');
    expect(() => synthStack('staging' as Stage)).toThrow(/Unknown stage "staging": use -c stage=dev\|prod/);
  });
});

describe('outputs', () => {
  it('exports the API URL and the stage', () => {
    dev.hasOutput('ApiUrl', {});
    dev.hasOutput('Stage', { Value: 'dev' });
    prod.hasOutput('Stage', { Value: 'prod' });
  });

  it('give an operator everything the first deploy needs, in both stages', () => {
    for (const template of [dev, prod]) {
      const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;
      expect(Object.keys(outputs).sort()).toEqual(
        [
          'AlarmTopicArn',
          'ApiUrl',
          'ExecuteApiUrl',
          'MailConfigurationSet',
          'MailDkimRecords',
          'MailIdentity',
          'LiveUrl',
          'MediaBucketName',
          'MediaDistributionId',
          'MediaDomain',
          'ReplicateApiTokenSecretArn',
          'ReplicateWebhookSecretArn',
          'ReplicateWebhookUrl',
          'Stage',
        ].sort(),
      );
      for (const [name, output] of Object.entries(outputs)) expect(output.Description, name).toBeTruthy();
      // The public URLs are CloudFront's (its WAF in front); the execute-api URLs refuse direct calls.
      const [distributionId] = apiDistribution(template);
      expect(outputs.LiveUrl?.Value).toEqual({
        'Fn::Join': ['', ['wss://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/live']],
      });
      const webhookUrl = JSON.stringify(outputs.ReplicateWebhookUrl?.Value);
      expect(webhookUrl).toContain(distributionId);
      expect(webhookUrl).toContain('/v1/webhooks/replicate');
      expect(outputs.ApiUrl?.Value).toEqual({
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
      });
      expect(referencedId(outputs.AlarmTopicArn?.Value)).toBe(onlyResource(template, 'AWS::SNS::Topic')[0]);
      const [mediaDistributionId] = mediaDistribution(template);
      expect(mediaDistributionId).not.toBe(distributionId);
      expect(outputs.MediaDomain?.Value).toEqual({ 'Fn::GetAtt': [mediaDistributionId, 'DomainName'] });
      expect(outputs.MediaDistributionId?.Value).toEqual({ Ref: mediaDistributionId });
    }
  });
});
