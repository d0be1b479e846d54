import { type CfnElement, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  LogGroupLogDestination,
  type ThrottleSettings,
  WebSocketApi,
  WebSocketStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PUSH_APPLICATION_ENV } from '../shared/push/config.ts';
import { MANAGEMENT_URL_ENV } from '../shared/realtime/config.ts';
import { FANOUT_QUEUE_ENV } from '../shared/realtime/fanout-queue.ts';
import {
  LIVE_ROUTE_KEYS,
  LIVE_STAGE,
  ROUTE_SELECTION_EXPRESSION,
  TWO_WAY_ROUTE_KEYS,
} from '../shared/realtime/protocol.ts';
import { type FunctionName, LIVE_FUNCTION, sizingOf } from './function-sizing.ts';
import { createLokizFunction, type LambdaRuntime } from './functions.ts';
import { createWorkQueue, visibilityTimeoutFor } from './queues.ts';

/** What a function may do with live updates and push. */
export interface RealtimeAccess {
  /** FANOUT_QUEUE_URL with sqs:SendMessage: it records events (or schedules like pushes) and wakes fan-out. */
  wake?: boolean;
  /** WEBSOCKET_MANAGEMENT_URL with execute-api:ManageConnections on this API's connections. */
  sockets?: boolean;
  /** Push env with sns:CreatePlatformEndpoint / SetEndpointAttributes / DeleteEndpoint: device registration. */
  registerDevices?: boolean;
  /** Push env with sns:Publish / DeleteEndpoint on the endpoints: delivery. */
  push?: boolean;
}

/** Who records events, who talks to sockets, who talks to SNS; nobody else gets any of it. */
export const REALTIME_ACCESS: Partial<Record<FunctionName, RealtimeAccess>> = {
  // Record events in the transaction of the change (shared/realtime/outbox.ts callers):
  // a revoked sign-in (auth), notifications (likes, comments, follows, a glitch settled by the
  // webhook or the reconciler), AI job transitions (ai cancels, dispatcher, webhooks, reconciler)
  // and AI results becoming ready (process-upload; the output-copier for music, or an expired output).
  auth: { wake: true },
  likes: { wake: true },
  comments: { wake: true },
  follows: { wake: true },
  ai: { wake: true },
  webhooks: { wake: true },
  'ai-dispatcher': { wake: true },
  reconciler: { wake: true },
  'output-copier': { wake: true },
  'process-upload': { wake: true },
  notifications: { registerDevices: true },
  // Delivers; a like window's push is scheduled with a delayed message to its own queue.
  fanout: { wake: true, sockets: true, push: true },
  // Hands lost or failed events and due like windows to fan-out; closes sockets whose token expired.
  'fanout-sweeper': { wake: true, sockets: true },
};

/** Stage-wide: messages per second across all clients (pings every few minutes, connects, renewals). */
export const LIVE_THROTTLE: ThrottleSettings = { rateLimit: 100, burstLimit: 200 };
/** SQS → fan-out. */
export const FANOUT_EVENTS = { batchSize: 5, maxBatchingWindow: Duration.seconds(0) };
/** A wake-up whose delivery failed this often lands in the DLQ (the outbox still has the event). */
export const FANOUT_MAX_RECEIVES = 5;
export const SWEEP_INTERVAL = Duration.minutes(1);
/** A wake-up waiting this long means fan-out is falling behind (or failing): the alarm fires. */
export const FANOUT_MAX_AGE = Duration.minutes(5);

const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  // No query string: $connect's carries the access token.
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    eventType: '$context.eventType',
    routeKey: '$context.routeKey',
    connectionId: '$context.connectionId',
    status: '$context.status',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    error: '$context.error.message',
    sourceIp: '$context.identity.sourceIp',
  }),
);

/** `arn:…:app/APNS/name` → `arn:…:endpoint/APNS/name/*`: the endpoints of that application. */
function endpointsOf(applicationArn: string): string {
  return `${applicationArn.replace(':app/', ':endpoint/')}/*`;
}

interface RealtimeProps {
  runtime: LambdaRuntime;
  /** The stack's other Lambdas; REALTIME_ACCESS applies to those and to the ones made here. */
  functions: ReadonlyMap<FunctionName, lambda.Function>;
}

/**
 * Live updates and push: the WebSocket API (its Lambda verifies the access token on $connect and
 * answers pings), the fan-out queue and worker that drain the event outbox to sockets
 * (PostToConnection) and devices (SNS), and the sweeper that retries what fan-out missed.
 */
export class Realtime extends Construct {
  readonly webSocketApi: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly liveFunction: lambda.Function;
  readonly fanout: lambda.Function;
  readonly sweeper: lambda.Function;
  readonly workers: ReadonlyMap<FunctionName, lambda.Function>;
  /** The configured SNS platform applications, by platform. */
  private readonly pushApplications: [keyof typeof PUSH_APPLICATION_ENV, string][];

  constructor(scope: Construct, id: string, props: RealtimeProps) {
    super(scope, id);
    const { runtime } = props;
    const { config } = runtime;
    this.pushApplications = (
      [
        ['ios', config.push.apnsApplicationArn],
        ['android', config.push.fcmApplicationArn],
      ] as const
    ).filter((entry): entry is ['ios' | 'android', string] => entry[1] !== undefined);

    this.liveFunction = createLokizFunction(this, 'LiveFunction', runtime, { service: LIVE_FUNCTION });
    this.webSocketApi = new WebSocketApi(this, 'WebSocketApi', {
      apiName: `lokiz-${config.stage}-live`,
      description: `LOKIZ live updates (${config.stage})`,
      routeSelectionExpression: ROUTE_SELECTION_EXPRESSION,
    });
    Validations.of(this.webSocketApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The $connect integration verifies the access token itself (HS256 JWT, iss/aud/exp, a revoked ' +
        'sign-in refused: shared/realtime/connections.ts) and refuses the handshake otherwise; every other ' +
        'route only runs on a connection $connect accepted. API Gateway JWT authorizers need a JWKS.',
    });
    const integration = new WebSocketLambdaIntegration('LiveIntegration', this.liveFunction);
    for (const routeKey of LIVE_ROUTE_KEYS) {
      this.webSocketApi.addRoute(routeKey, {
        integration,
        returnResponse: (TWO_WAY_ROUTE_KEYS as readonly string[]).includes(routeKey),
      });
    }
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.stage = new WebSocketStage(this, 'LiveStage', {
      webSocketApi: this.webSocketApi,
      stageName: LIVE_STAGE,
      autoDeploy: true,
      throttle: LIVE_THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    this.fanout = createLokizFunction(this, 'FanoutFunction', runtime, { service: 'fanout', jwt: false });
    const work = createWorkQueue(this, 'FanoutQueue', config, {
      visibilityTimeout: visibilityTimeoutFor(sizingOf('fanout').timeout, FANOUT_EVENTS.maxBatchingWindow),
      maxReceiveCount: FANOUT_MAX_RECEIVES,
    });
    this.queue = work.queue;
    this.deadLetterQueue = work.deadLetterQueue;
    this.fanout.addEventSource(
      new SqsEventSource(this.queue, { ...FANOUT_EVENTS, reportBatchItemFailures: true }),
    );

    this.sweeper = createLokizFunction(this, 'SweeperFunction', runtime, {
      service: 'fanout-sweeper',
      jwt: false,
    });
    // The next run (a minute later) is the retry.
    this.sweeper.configureAsyncInvoke({ retryAttempts: 0 });
    new events.Rule(this, 'SweepSchedule', {
      description: 'LOKIZ: retry undelivered events, send due like pushes, close expired sockets',
      schedule: events.Schedule.rate(SWEEP_INTERVAL),
      targets: [new targets.LambdaFunction(this.sweeper)],
    });

    this.workers = new Map<FunctionName, lambda.Function>([
      [LIVE_FUNCTION, this.liveFunction],
      ['fanout', this.fanout],
      ['fanout-sweeper', this.sweeper],
    ]);
    const all = new Map<FunctionName, lambda.Function>([...props.functions, ...this.workers]);
    for (const [name, access] of Object.entries(REALTIME_ACCESS) as [FunctionName, RealtimeAccess][]) {
      const fn = all.get(name);
      if (fn) this.grant(fn, access);
    }
  }

  private grant(fn: lambda.Function, access: RealtimeAccess): void {
    if (access.wake) {
      fn.addEnvironment(FANOUT_QUEUE_ENV, this.queue.queueUrl);
      this.queue.grantSendMessages(fn);
    }
    if (access.sockets) {
      fn.addEnvironment(MANAGEMENT_URL_ENV, this.stage.callbackUrl);
      // execute-api:ManageConnections on <api>/live/*/@connections/* only.
      this.stage.grantManagementApiAccess(fn);
      const stack = Stack.of(this);
      const apiLogicalId = stack.getLogicalId(this.webSocketApi.node.defaultChild as CfnElement);
      // A stack with a region (infra/stack.ts: always) has its partition and region written out.
      const arnPrefix = Token.isUnresolved(stack.region)
        ? 'arn:<AWS::Partition>:execute-api:<AWS::Region>'
        : `arn:${stack.partition}:execute-api:${stack.region}`;
      Validations.of(fn.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arnPrefix}:<AWS::AccountId>:<${apiLogicalId}>/${LIVE_STAGE}/*/@connections/*]`,
        reason: "Connection ids exist at run time only; the grant is this API's live stage's connections",
      });
    }
    const applications = this.pushApplications;
    if (!(access.registerDevices || access.push) || !applications.length) return;
    for (const [platform, arn] of applications) fn.addEnvironment(PUSH_APPLICATION_ENV[platform], arn);
    const endpoints = applications.map(([, arn]) => endpointsOf(arn));
    if (access.registerDevices) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['sns:CreatePlatformEndpoint'],
          resources: applications.map(([, arn]) => arn),
        }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['sns:SetEndpointAttributes', 'sns:DeleteEndpoint'],
          resources: endpoints,
        }),
      );
    }
    if (access.push) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['sns:Publish', 'sns:DeleteEndpoint'], resources: endpoints }),
      );
    }
    for (const endpoint of endpoints) {
      Validations.of(fn.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${endpoint}]`,
        reason:
          'Device endpoints are created at run time; the grant is the endpoints of our own platform application',
      });
    }
  }
}
