import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, sizingOf } from '../../infra/function-sizing.ts';
import {
  FANOUT_EVENTS,
  FANOUT_MAX_RECEIVES,
  LIVE_THROTTLE,
  REALTIME_ACCESS,
  type RealtimeAccess,
} from '../../infra/realtime.ts';
import {
  LIVE_ROUTE_KEYS,
  LIVE_STAGE,
  ROUTE_SELECTION_EXPRESSION,
  TWO_WAY_ROUTE_KEYS,
} from '../../shared/realtime/protocol.ts';
import {
  apiIdOf,
  envOf,
  functionsByService,
  propsOf,
  referencedId,
  resourcesOfApi,
  resourcesOfType,
  roleOf,
  type Statement,
  statementsOfRole,
  synthStack,
  synthTemplate,
  TEST_REGION,
} from './synth.ts';

const APNS = 'arn:aws:sns:eu-west-1:123456789012:app/APNS/lokiz-prod';
const FCM = 'arn:aws:sns:eu-west-1:123456789012:app/GCM/lokiz-prod';
const WITH_PUSH = { apnsPlatformApplicationArn: APNS, fcmPlatformApplicationArn: FCM };

let dev: Template;
let withPush: Template;
beforeAll(() => {
  dev = synthTemplate('dev');
  withPush = Template.fromStack(synthStack('dev', WITH_PUSH));
});

const fnId = (template: Template, name: FunctionName) => functionsByService(template).get(`lokiz-${name}`)!;
const withAccess = (flag: keyof RealtimeAccess) =>
  (Object.entries(REALTIME_ACCESS) as [FunctionName, RealtimeAccess][])
    .filter(([, access]) => access[flag])
    .map(([name]) => name)
    .sort();

/** Functions whose role allows an action (on anything), by name. */
function holders(template: Template, action: string): FunctionName[] {
  return [...functionsByService(template)]
    .filter(([, id]) =>
      statementsOfRole(template, roleOf(template, id)).some((s) => [s.Action].flat().includes(action)),
    )
    .map(([service]) => service.replace(/^lokiz-/, '') as FunctionName)
    .sort();
}

function statementsWith(template: Template, name: FunctionName, action: string): Statement[] {
  return statementsOfRole(template, roleOf(template, fnId(template, name))).filter((s) =>
    [s.Action].flat().includes(action),
  );
}

describe('WebSocket API', () => {
  it('routes $connect, $disconnect, ping, renew and $default on the message’s action to the realtime Lambda', () => {
    const apiId = apiIdOf(dev, 'WEBSOCKET');
    expect(propsOf(resourcesOfType(dev, 'AWS::ApiGatewayV2::Api')[apiId])).toMatchObject({
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: ROUTE_SELECTION_EXPRESSION,
    });
    const routes = Object.values(resourcesOfApi(dev, 'AWS::ApiGatewayV2::Route', apiId));
    expect(routes.map((r) => r.Properties?.RouteKey).sort()).toEqual([...LIVE_ROUTE_KEYS].sort());
    const integrations = resourcesOfApi(dev, 'AWS::ApiGatewayV2::Integration', apiId);
    for (const route of routes) {
      const target = (propsOf(route, 'route').Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      const integration = integrations[referencedId(target[1])!];
      expect(integration?.Properties?.IntegrationType).toBe('AWS_PROXY');
      expect(JSON.stringify(integration?.Properties?.IntegrationUri)).toContain(fnId(dev, 'realtime'));
    }
    // Answers go back to the client on the two-way routes only.
    const byId = resourcesOfApi(dev, 'AWS::ApiGatewayV2::Route', apiId);
    const twoWay = Object.values(resourcesOfApi(dev, 'AWS::ApiGatewayV2::RouteResponse', apiId)).map(
      (r) => byId[referencedId(r.Properties?.RouteId)!]?.Properties?.RouteKey,
    );
    expect(twoWay.sort()).toEqual([...TWO_WAY_ROUTE_KEYS].sort());
  });

  it('has a throttled live stage with access logs that leave out the query string (the token)', () => {
    const [stage, ...others] = Object.values(
      resourcesOfApi(dev, 'AWS::ApiGatewayV2::Stage', apiIdOf(dev, 'WEBSOCKET')),
    );
    expect(others).toEqual([]);
    expect(stage?.Properties).toMatchObject({
      StageName: LIVE_STAGE,
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: LIVE_THROTTLE.rateLimit,
        ThrottlingBurstLimit: LIVE_THROTTLE.burstLimit,
      },
    });
    const format = (propsOf(stage, 'stage').AccessLogSettings as { Format: string }).Format;
    expect(JSON.parse(format)).toMatchObject({
      connectionId: '$context.connectionId',
      routeKey: '$context.routeKey',
    });
    expect(format).not.toMatch(/querystring|token/i);
    dev.hasOutput('LiveUrl', {});
  });
});

describe('execute-api:ManageConnections', () => {
  it('belongs to fan-out and the sweeper only, on the live stage’s connections of this API', () => {
    expect(holders(dev, 'execute-api:ManageConnections')).toEqual(withAccess('sockets'));
    expect(withAccess('sockets')).toEqual(['fanout', 'fanout-sweeper']);
    const apiId = apiIdOf(dev, 'WEBSOCKET');
    for (const name of withAccess('sockets')) {
      const statements = statementsWith(dev, name, 'execute-api:ManageConnections');
      expect(statements, name).toHaveLength(1);
      expect([statements[0]!.Action].flat()).toEqual(['execute-api:ManageConnections']);
      const [resource, ...more] = [statements[0]!.Resource].flat();
      expect(more).toEqual([]);
      const parts = (resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      // The stack's region is known at synth time (-c region), so CDK writes it and the partition out.
      expect(parts.map((p) => referencedId(p) ?? p)).toEqual([
        `arn:aws:execute-api:${TEST_REGION}:`,
        'AWS::AccountId',
        ':',
        apiId,
        `/${LIVE_STAGE}/*/@connections/*`,
      ]);
      expect(JSON.stringify(envOf(dev, fnId(dev, name)).WEBSOCKET_MANAGEMENT_URL)).toContain(apiId);
    }
    for (const [service, id] of functionsByService(dev)) {
      if (withAccess('sockets').includes(service.replace(/^lokiz-/, '') as FunctionName)) continue;
      expect(envOf(dev, id).WEBSOCKET_MANAGEMENT_URL, service).toBeUndefined();
    }
  });
});

describe('fan-out queue', () => {
  const fanoutQueue = (template: Template) =>
    referencedId(
      Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')).find(
        (m) => referencedId(m.Properties?.FunctionName) === fnId(template, 'fanout'),
      )?.Properties?.EventSourceArn,
    )!;

  it('is consumed by fan-out with partial batch failures, and dead-letters after a few receives', () => {
    const mapping = Object.values(resourcesOfType(dev, 'AWS::Lambda::EventSourceMapping')).find(
      (m) => referencedId(m.Properties?.FunctionName) === fnId(dev, 'fanout'),
    );
    expect(mapping?.Properties).toMatchObject({
      BatchSize: FANOUT_EVENTS.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const queue = propsOf(resourcesOfType(dev, 'AWS::SQS::Queue')[fanoutQueue(dev)]);
    expect(queue.VisibilityTimeout).toBe(6 * sizingOf('fanout').timeout.toSeconds());
    expect(queue.RedrivePolicy).toMatchObject({ maxReceiveCount: FANOUT_MAX_RECEIVES });
  });

  it('is woken by exactly the functions that record events, and named to them', () => {
    const queueId = fanoutQueue(dev);
    const senders = [...functionsByService(dev)]
      .filter(([, id]) =>
        statementsOfRole(dev, roleOf(dev, id)).some(
          (s) =>
            [s.Action].flat().includes('sqs:SendMessage') &&
            [s.Resource].flat().some((r) => referencedId(r) === queueId),
        ),
      )
      .map(([service]) => service.replace(/^lokiz-/, ''))
      .sort();
    expect(senders).toEqual(withAccess('wake'));
    for (const [service, id] of functionsByService(dev)) {
      const wakes = withAccess('wake').includes(service.replace(/^lokiz-/, '') as FunctionName);
      expect(envOf(dev, id).FANOUT_QUEUE_URL, service).toEqual(wakes ? { Ref: queueId } : undefined);
    }
  });

  it('is backed by a sweeper every minute', () => {
    const rule = Object.values(resourcesOfType(dev, 'AWS::Events::Rule')).find((r) =>
      JSON.stringify(r.Properties?.Targets).includes(fnId(dev, 'fanout-sweeper')),
    );
    expect(rule?.Properties?.ScheduleExpression).toBe('rate(1 minute)');
  });
});

describe('SNS mobile push', () => {
  const endpoints = [
    'arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/lokiz-prod/*',
    'arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/lokiz-prod/*',
  ];

  it('lets the notifications domain create endpoints on our platform applications only', () => {
    expect(holders(withPush, 'sns:CreatePlatformEndpoint')).toEqual(['notifications']);
    const [create] = statementsWith(withPush, 'notifications', 'sns:CreatePlatformEndpoint');
    expect(create?.Action).toBe('sns:CreatePlatformEndpoint');
    expect(create?.Resource).toEqual([APNS, FCM]);
    const [manage] = statementsWith(withPush, 'notifications', 'sns:SetEndpointAttributes');
    expect([manage?.Action].flat().sort()).toEqual(['sns:DeleteEndpoint', 'sns:SetEndpointAttributes']);
    expect(manage?.Resource).toEqual(endpoints);
  });

  it('lets fan-out publish to (and forget) those applications’ endpoints only', () => {
    expect(holders(withPush, 'sns:Publish')).toEqual(['fanout']);
    const [publish] = statementsWith(withPush, 'fanout', 'sns:Publish');
    expect([publish?.Action].flat().sort()).toEqual(['sns:DeleteEndpoint', 'sns:Publish']);
    expect(publish?.Resource).toEqual(endpoints);
    expect(holders(withPush, 'sns:DeleteEndpoint')).toEqual(['fanout', 'notifications']);
  });

  it('names the platform applications to exactly those two functions', () => {
    for (const [service, id] of functionsByService(withPush)) {
      const env = envOf(withPush, id);
      const pushes = ['lokiz-notifications', 'lokiz-fanout'].includes(service);
      expect(env.PUSH_APNS_APPLICATION_ARN, service).toBe(pushes ? APNS : undefined);
      expect(env.PUSH_FCM_APPLICATION_ARN, service).toBe(pushes ? FCM : undefined);
    }
  });

  it('grants nothing in SNS while no platform application is configured', () => {
    for (const action of ['sns:Publish', 'sns:CreatePlatformEndpoint', 'sns:DeleteEndpoint']) {
      expect(holders(dev, action), action).toEqual([]);
    }
  });

  it('refuses a platform application ARN of the wrong kind', () => {
    expect(() => synthStack('dev', { apnsPlatformApplicationArn: FCM })).toThrow(
      /apnsPlatformApplicationArn/,
    );
    expect(() =>
      synthStack('dev', { fcmPlatformApplicationArn: 'arn:aws:sns:eu-west-1:1:app/GCM/x' }),
    ).toThrow(/fcmPlatformApplicationArn/);
  });

  it('stays cdk-nag clean with push configured', () => {
    const app = synthStack('prod', WITH_PUSH).node.root as App;
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});
