import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnRoute,
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type Domain, type RouteDef, routeKey, type ThrottleClass } from '../shared/http/route.ts';
import { pascal, ROUTE_DEFS } from './route-table.ts';
import type { StageConfig } from './stage.ts';

/**
 * Per-route limits by throttle class (requests/second across all clients: HTTP APIs have
 * no per-client throttling, so these cap cost and blast radius rather than abuse by one user).
 */
export const THROTTLE_LIMITS: Record<ThrottleClass, ThrottleSettings> = {
  default: { rateLimit: 100, burstLimit: 200 },
  // Password hashing is expensive; credential stuffing should hit a wall early.
  auth: { rateLimit: 10, burstLimit: 20 },
  // Each call starts a paid model prediction.
  ai: { rateLimit: 5, burstLimit: 10 },
  webhook: { rateLimit: 50, burstLimit: 100 },
};

// HTTP API context variables (the REST API presets include fields HTTP APIs lack).
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
    error: '$context.error.message',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
  }),
);

interface ApiProps {
  config: StageConfig;
  functions: ReadonlyMap<Domain, lambda.IFunction>;
  routes?: readonly RouteDef[];
}

/** The HTTP API: every entry of the route table, each to its domain's Lambda. */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { config } = props;
    const routeDefs = props.routes ?? ROUTE_DEFS;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `lokiz-${config.stage}`,
      description: `LOKIZ API (${config.stage})`,
      // Created below, so it can have access logs and throttling.
      createDefaultStage: false,
      corsPreflight: config.corsOrigins.length
        ? {
            allowOrigins: config.corsOrigins,
            allowMethods: [
              CorsHttpMethod.GET,
              CorsHttpMethod.POST,
              CorsHttpMethod.PATCH,
              CorsHttpMethod.DELETE,
              CorsHttpMethod.OPTIONS,
            ],
            allowHeaders: ['authorization', 'content-type'],
            maxAge: Duration.hours(1),
          }
        : undefined,
    });

    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        "Authorization happens in each domain Lambda from the route table's `auth` mode: access tokens " +
        "are HS256 JWTs (iss/aud/exp checked), which the HTTP API JWT authorizer can't verify (it needs " +
        'a JWKS, i.e. asymmetric keys). `none` routes are public by design: health, the OpenAPI document, ' +
        "register/login/refresh (throttled as 'auth') and Replicate's webhook (signature-checked).",
    });

    // One integration per domain, shared by all of that domain's routes.
    const integrations = new Map<Domain, HttpLambdaIntegration>();
    const integrationFor = (domain: Domain): HttpLambdaIntegration => {
      let integration = integrations.get(domain);
      if (!integration) {
        const fn = props.functions.get(domain);
        if (!fn) throw new Error(`No Lambda for domain "${domain}"`);
        // One invoke permission per function for this API (`<api>/*/*`), not one per route: a domain's
        // Lambda is only ever integrated with its own routes, and ~95 per-route permissions took
        // the stack past CloudFormation's 500-resource limit (and bloat each function's policy).
        integration = new HttpLambdaIntegration(`${pascal(domain)}Integration`, fn, {
          scopePermissionToRoute: false,
        });
        integrations.set(domain, integration);
      }
      return integration;
    };

    const routes: HttpRoute[] = [];
    for (const def of routeDefs) {
      const integration = integrationFor(def.domain);
      routes.push(
        ...(def.path.length > 1 && def.path.endsWith('/')
          ? [this.addTrailingSlashRoute(def, integration)]
          : this.httpApi.addRoutes({ path: def.path, methods: [HttpMethod[def.method]], integration })),
      );
    }

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    // (HTTP APIs can't send X-Ray traces, unlike REST APIs: traces start at the Lambdas.)
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE_LIMITS.default,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
    this.applyRouteThrottling(routeDefs, routes);
  }

  /**
   * CDK's HttpRouteKey refuses a path ending in "/", which API Gateway accepts as a route of its own
   * (the seed's `GET /v1/videos/`). The route is built on the path without the slash, then its key
   * is set to the real path (the invoke permission is API-wide, so it covers it as is).
   */
  private addTrailingSlashRoute(def: RouteDef, integration: HttpLambdaIntegration): HttpRoute {
    const route = new HttpRoute(this.httpApi, `${def.method}${def.path}`, {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.with(def.path.slice(0, -1), HttpMethod[def.method]),
      integration,
    });
    (route.node.defaultChild as CfnRoute).routeKey = routeKey(def);
    return route;
  }

  /** Stage-level overrides for routes whose class isn't `default` (L2 has no per-route throttle). */
  private applyRouteThrottling(routeDefs: readonly RouteDef[], routes: readonly HttpRoute[]): void {
    const routeSettings: Record<string, { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }> = {};
    for (const def of routeDefs) {
      if (!def.throttle || def.throttle === 'default') continue;
      const limits = THROTTLE_LIMITS[def.throttle];
      routeSettings[routeKey(def)] = {
        ThrottlingRateLimit: limits.rateLimit,
        ThrottlingBurstLimit: limits.burstLimit,
      };
    }
    if (Object.keys(routeSettings).length === 0) return;
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = routeSettings;
    // API Gateway rejects settings for route keys that don't exist yet.
    for (const route of routes) cfnStage.node.addDependency(route);
  }
}
