import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AI_ACCESS } from '../../infra/ai.ts';
import { CDN_INVALIDATORS } from '../../infra/cdn.ts';
import { type FunctionName, LIVE_FUNCTION } from '../../infra/function-sizing.ts';
import { LOG_LEVEL, VPC_ENI_ACTIONS, XRAY_ACTIONS } from '../../infra/functions.ts';
import { MAIL_SENDERS } from '../../infra/mail.ts';
import { SOUNDTRACK_SENDERS } from '../../infra/media.ts';
import { REALTIME_ACCESS } from '../../infra/realtime.ts';
import { usesAccessTokens } from '../../infra/route-table.ts';
import { SCREENERS, SCREENING_ACTIONS } from '../../infra/screening.ts';
import { STORAGE_ACCESS } from '../../infra/storage-access.ts';
import { DOMAINS, type Domain } from '../../shared/http/route.ts';
import {
  apiIdOf,
  bucketPolicyOf,
  type CfnResource,
  envOf,
  functionsByService,
  mediaBucket,
  mediaDistribution,
  onlyResource,
  propsOf,
  referencedId,
  resourcesOfType,
  roleOf,
  type Statement,
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

const nameOf = (service: string) => service.replace(/^lokiz-/, '') as FunctionName;
const lambdas = (template: Template) => resourcesOfType(template, 'AWS::Lambda::Function');
/** The LOKIZ functions (not CDK's custom-resource handlers), by name. */
function functionIds(template: Template): Map<FunctionName, string> {
  return new Map([...functionsByService(template)].map(([service, id]) => [nameOf(service), id]));
}

/**
 * The logical id an IAM resource points at (`Ref`, `GetAtt`, or in a joined ARN the first
 * reference that is not a pseudo parameter such as AWS::Region).
 */
function resourceId(resource: unknown): string | undefined {
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (!join) return referencedId(resource);
  return join[1].map(referencedId).find((id) => id !== undefined && !id.startsWith('AWS::'));
}

const tlsDeny = expect.objectContaining({
  Effect: 'Deny',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

describe('function roles', () => {
  it('are one per function, with no managed policy (so no AWS managed logs:* on *)', () => {
    const roles = new Set<string>();
    for (const [name, id] of functionIds(dev)) {
      const roleId = roleOf(dev, id);
      expect(roles.has(roleId), name).toBe(false);
      roles.add(roleId);
      const role = resourcesOfType(dev, 'AWS::IAM::Role')[roleId];
      expect(role?.Properties?.ManagedPolicyArns, name).toBeUndefined();
    }
  });

  it('grant nothing on "*" but the network-interface and X-Ray actions (and screening: DetectModerationLabels), and no wildcard action', () => {
    for (const [name, id] of functionIds(dev)) {
      const allowedOnAnything = new Set<string>([
        ...VPC_ENI_ACTIONS,
        ...XRAY_ACTIONS,
        ...(SCREENERS.includes(name) ? SCREENING_ACTIONS : []),
      ]);
      for (const statement of statementsOfRole(dev, roleOf(dev, id))) {
        expect(statement.Effect, name).toBe('Allow');
        const actions = [statement.Action].flat();
        for (const action of actions) expect(action, name).not.toMatch(/\*/);
        if ([statement.Resource].flat().includes('*')) {
          for (const action of actions)
            expect(allowedOnAnything.has(action), `${name}: ${action}`).toBe(true);
        }
      }
    }
  });

  it('write logs only to their own log group', () => {
    for (const [name, id] of functionIds(dev)) {
      const logGroup = (propsOf(lambdas(dev)[id], name).LoggingConfig as { LogGroup: unknown }).LogGroup;
      const logs = statementsOfRole(dev, roleOf(dev, id)).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('logs:')),
      );
      expect(logs, name).toHaveLength(1);
      expect([logs[0]!.Action].flat().sort(), name).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(resourceId(logs[0]!.Resource), name).toBe(referencedId(logGroup));
    }
  });

  it('reach exactly the secrets, queues and bucket their tables name', () => {
    const ids = functionIds(dev);
    const fn = (name: FunctionName) => ids.get(name)!;
    const secretOf = (name: FunctionName, variable: string) => referencedId(envOf(dev, fn(name))[variable])!;
    const appDatabaseSecret = secretOf('auth', 'DATABASE_SECRET_ARN');
    const ownerDatabaseSecret = secretOf('migrate', 'DATABASE_SECRET_ARN');
    expect(appDatabaseSecret).not.toBe(ownerDatabaseSecret);
    const jwtSecret = secretOf('auth', 'JWT_SECRET_ARN');
    const replicateToken = secretOf('ai', 'REPLICATE_API_TOKEN_ARN');
    const webhookSecret = secretOf('webhooks', 'REPLICATE_WEBHOOK_SECRET_ARN');
    const originSecret = secretOf('system', 'ORIGIN_SECRET_ARN');
    const queueOf = (worker: FunctionName) => {
      const mapping = Object.values(resourcesOfType(dev, 'AWS::Lambda::EventSourceMapping')).find(
        (m) => referencedId(m.Properties?.FunctionName) === fn(worker),
      );
      return referencedId(mapping?.Properties?.EventSourceArn)!;
    };
    const jobsQueue = queueOf('ai-dispatcher');
    const soundtrackQueue = queueOf('apply-soundtrack');
    const outputsQueue = queueOf('output-copier');
    const deletionQueue = queueOf('account-deletion');
    const exportQueue = queueOf('account-export');
    const [sesIdentity] = onlyResource(dev, 'AWS::SES::EmailIdentity');
    // The identity's and the configuration set's ARNs (test/infra/accounts.test.ts checks which).
    const sesResources = (name: FunctionName) =>
      statementsOfRole(dev, roleOf(dev, fn(name)))
        .filter((st) => st.Action === 'ses:SendEmail')
        .flatMap((st) => [st.Resource].flat())
        .map((r) => resourceId(r) ?? JSON.stringify(r));
    const fanoutQueue = queueOf('fanout');
    const webSocketApi = apiIdOf(dev, 'WEBSOCKET');
    const onFailure = Object.values(resourcesOfType(dev, 'AWS::Lambda::EventInvokeConfig'))
      .map((c) => (c.Properties?.DestinationConfig as { OnFailure?: { Destination: unknown } })?.OnFailure)
      .filter((d) => d !== undefined);
    expect(onFailure).toHaveLength(1);
    const processUploadDlq = referencedId(onFailure[0]!.Destination)!;
    const bucket = mediaBucket(dev)[0];
    const [distribution] = mediaDistribution(dev);

    for (const [name, id] of ids) {
      const isDomain = (DOMAINS as readonly string[]).includes(name);
      const ai = AI_ACCESS[name] ?? {};
      const realtime = REALTIME_ACCESS[name] ?? {};
      const logGroup = referencedId(
        (propsOf(lambdas(dev)[id], name).LoggingConfig as { LogGroup: unknown }).LogGroup,
      );
      const expected = [
        logGroup,
        // The migrate worker connects as the owner and reads the app role's secret once (its login).
        ...(name === 'migrate' ? [ownerDatabaseSecret, appDatabaseSecret] : [appDatabaseSecret]),
        ...((isDomain && usesAccessTokens(name as Domain)) || name === LIVE_FUNCTION ? [jwtSecret] : []),
        // Every API Lambda checks CloudFront's origin header (infra/edge.ts), and so does $connect.
        ...(isDomain || name === LIVE_FUNCTION ? [originSecret] : []),
        ...(ai.replicate ? [replicateToken] : []),
        ...(ai.webhookSecret ? [webhookSecret] : []),
        ...(ai.enqueue || name === 'ai-dispatcher' ? [jobsQueue] : []),
        ...(ai.copyOutputs || name === 'output-copier' ? [outputsQueue] : []),
        ...(SOUNDTRACK_SENDERS.includes(name) || name === 'apply-soundtrack' ? [soundtrackQueue] : []),
        ...(name === 'process-upload' ? [processUploadDlq] : []),
        ...(realtime.wake || name === 'fanout' ? [fanoutQueue] : []),
        // (No SNS here: this synth configures no push platform; test/infra/realtime.test.ts does.)
        ...(realtime.sockets ? [webSocketApi] : []),
        ...(STORAGE_ACCESS[name] ? [bucket] : []),
        ...(name === 'account' || name === 'reconciler' ? [deletionQueue, exportQueue] : []),
        ...(name === 'account-deletion' ? [deletionQueue] : []),
        ...(name === 'account-export' ? [exportQueue] : []),
        ...(MAIL_SENDERS.includes(name) ? sesResources(name) : []),
        ...(CDN_INVALIDATORS.includes(name) ? [distribution] : []),
      ];
      if (MAIL_SENDERS.includes(name)) {
        expect(sesResources(name), name).toHaveLength(2);
        expect(JSON.stringify(statementsOfRole(dev, roleOf(dev, id))), name).toContain(sesIdentity);
      }
      const reached = new Set<string>();
      for (const statement of statementsOfRole(dev, roleOf(dev, id))) {
        for (const resource of [statement.Resource].flat()) {
          if (resource !== '*') reached.add(resourceId(resource) ?? JSON.stringify(resource));
        }
      }
      expect([...reached].sort(), name).toEqual([...new Set(expected)].sort());
    }
  });
});

describe('network', () => {
  const groupByDescription = (template: Template, description: string): string =>
    Object.keys(
      template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: description } }),
    )[0]!;

  function rules(
    template: Template,
    groupId: string,
    direction: 'Ingress' | 'Egress',
  ): Record<string, unknown>[] {
    const group = resourcesOfType(template, 'AWS::EC2::SecurityGroup')[groupId];
    const inline = (group?.Properties?.[`SecurityGroup${direction}`] ?? []) as Record<string, unknown>[];
    const standalone = Object.values(resourcesOfType(template, `AWS::EC2::SecurityGroup${direction}`))
      .map((r) => r.Properties ?? {})
      .filter((p) => referencedId(p.GroupId) === groupId);
    return [...inline, ...standalone];
  }

  it('lets the Lambdas out on HTTPS and to the RDS Proxy on 5432 only', () => {
    const lambdaGroup = groupByDescription(dev, 'LOKIZ Lambda functions');
    const proxyGroup = groupByDescription(
      dev,
      'LOKIZ RDS Proxy (reachable from the Lambda security group only)',
    );
    const egress = rules(dev, lambdaGroup, 'Egress').map((r) => ({
      to: r.CidrIp ?? referencedId(r.DestinationSecurityGroupId),
      port: `${r.IpProtocol}/${r.FromPort}-${r.ToPort}`,
    }));
    expect(egress).toEqual(
      expect.arrayContaining([
        { to: '0.0.0.0/0', port: 'tcp/443-443' },
        { to: proxyGroup, port: 'tcp/5432-5432' },
      ]),
    );
    expect(egress).toHaveLength(2);
    // Every LOKIZ Lambda runs in that group.
    for (const [name, id] of functionIds(dev)) {
      const vpc = propsOf(lambdas(dev)[id], name).VpcConfig as { SecurityGroupIds: unknown[] };
      expect(vpc.SecurityGroupIds.map(referencedId), name).toEqual([lambdaGroup]);
    }
  });

  it('admits PostgreSQL on the instance only from the RDS Proxy (which only the Lambdas reach) and secret rotation', () => {
    const [, instance] = onlyResource(dev, 'AWS::RDS::DBInstance');
    const instanceGroups = (propsOf(instance, 'instance').VPCSecurityGroups as unknown[]).map(referencedId);
    expect(instanceGroups).toHaveLength(1);
    const proxyGroup = groupByDescription(
      dev,
      'LOKIZ RDS Proxy (reachable from the Lambda security group only)',
    );
    const rotationGroup = groupByDescription(
      dev,
      'LOKIZ database secret rotation (the instance, and Secrets Manager over HTTPS)',
    );
    const ingress = rules(dev, instanceGroups[0]!, 'Ingress');
    expect(ingress.map((r) => referencedId(r.SourceSecurityGroupId)).sort()).toEqual(
      [proxyGroup, rotationGroup].sort(),
    );
    // The instance's port (5432: its Endpoint.Port), nothing else.
    const [instanceId] = onlyResource(dev, 'AWS::RDS::DBInstance');
    const port = { 'Fn::GetAtt': [instanceId, 'Endpoint.Port'] };
    for (const rule of ingress)
      expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: port, ToPort: port });
    expect(instance.Properties?.Port).toBe('5432');
    expect(instance.Properties).toMatchObject({ PubliclyAccessible: false, StorageEncrypted: true });
  });

  it('records every flow of the VPC in a log group', () => {
    const [vpcId] = onlyResource(dev, 'AWS::EC2::VPC');
    const [, flowLog] = onlyResource(dev, 'AWS::EC2::FlowLog');
    expect(flowLog.Properties).toMatchObject({
      ResourceType: 'VPC',
      ResourceId: { Ref: vpcId },
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    const logGroup = resourcesOfType(dev, 'AWS::Logs::LogGroup')[
      referencedId(flowLog.Properties?.LogGroupName)!
    ];
    expect(logGroup?.Properties?.RetentionInDays).toBe(30);
  });
});

describe('encryption and TLS', () => {
  it('keeps every bucket private, encrypted and TLS-only', () => {
    for (const template of [dev, prod]) {
      for (const [id, bucket] of Object.entries(resourcesOfType(template, 'AWS::S3::Bucket'))) {
        expect(bucket.Properties, id).toMatchObject({
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
        });
        // CloudFront's standard logs arrive with an ACL grant: its log bucket (both distributions, infra/cdn.ts)
        // alone keeps ACLs (owner-preferred).
        const ownership = id.startsWith('MediaCdnLogsBucket')
          ? 'BucketOwnerPreferred'
          : 'BucketOwnerEnforced';
        expect(bucket.Properties?.OwnershipControls, id).toEqual({ Rules: [{ ObjectOwnership: ownership }] });
        expect(statementsOf(bucketPolicyOf(template, id)), id).toContainEqual(tlsDeny);
      }
    }
  });

  it("logs the media bucket's requests to the access-log bucket, which expires them", () => {
    const [mediaId, media] = mediaBucket(dev);
    const logging = propsOf(media, 'media bucket').LoggingConfiguration as {
      DestinationBucketName: unknown;
      LogFilePrefix: string;
    };
    const logsId = referencedId(logging.DestinationBucketName)!;
    expect(logsId).not.toBe(mediaId);
    expect(logging.LogFilePrefix).toBe('media/');
    const logsBucket = resourcesOfType(dev, 'AWS::S3::Bucket')[logsId];
    expect(logsBucket?.Properties?.LoggingConfiguration).toBeUndefined();
    expect(
      (propsOf(logsBucket, 'access-log bucket').LifecycleConfiguration as { Rules: unknown[] }).Rules,
    ).toContainEqual(expect.objectContaining({ Status: 'Enabled', ExpirationInDays: 30 }));
    // Delivered by the S3 logging service under a bucket policy (ACLs are disabled).
    expect(statementsOf(bucketPolicyOf(dev, logsId))).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' } }),
    );
  });

  it('encrypts every queue and refuses anything but TLS on it', () => {
    const queues = Object.keys(resourcesOfType(dev, 'AWS::SQS::Queue'));
    // AI jobs and outputs, soundtracks, fan-out, account deletion and export, each with its
    // dead-letter queue, and process-upload's on-failure DLQ.
    expect(queues.length).toBe(13);
    for (const id of queues) {
      expect(resourcesOfType(dev, 'AWS::SQS::Queue')[id]?.Properties?.SqsManagedSseEnabled, id).toBe(true);
      const policies = Object.values(resourcesOfType(dev, 'AWS::SQS::QueuePolicy')).filter((p: CfnResource) =>
        ((p.Properties?.Queues ?? []) as unknown[]).some((q) => referencedId(q) === id),
      );
      expect(policies.flatMap((p) => statementsOf(p)) as Statement[], id).toContainEqual(tlsDeny);
    }
  });

  it('encrypts the alarm topic with its own key', () => {
    const [, topic] = onlyResource(dev, 'AWS::SNS::Topic');
    expect(referencedId(topic.Properties?.KmsMasterKeyId)).toBe(onlyResource(dev, 'AWS::KMS::Key')[0]);
  });
});

describe('functions', () => {
  it('trace with X-Ray and log JSON at one level, in Lambda and Powertools alike', () => {
    for (const template of [dev, prod]) {
      for (const [name, id] of functionIds(template)) {
        const props = propsOf(lambdas(template)[id], name);
        expect(props.TracingConfig, name).toEqual({ Mode: 'Active' });
        expect(props.LoggingConfig, name).toMatchObject({
          LogFormat: 'JSON',
          ApplicationLogLevel: LOG_LEVEL,
          SystemLogLevel: LOG_LEVEL,
        });
        expect(envOf(template, id).POWERTOOLS_LOG_LEVEL, name).toBe(LOG_LEVEL);
        expect(envOf(template, id).POWERTOOLS_SERVICE_NAME, name).toBe(`lokiz-${name}`);
      }
    }
  });
});
