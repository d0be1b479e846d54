import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { authRatePaths, EDGE_REGION, WAF_RATE_LIMITS, WAF_WINDOW_SECONDS } from '../../infra/edge.ts';
import { LIVE_FUNCTION } from '../../infra/function-sizing.ts';
import { ROUTE_DEFS } from '../../infra/route-table.ts';
import { createLokizStack, type LokizStack, regionOf } from '../../infra/stack.ts';
import { REPLICATE_WEBHOOK_PATH } from '../../shared/ai/webhook-contract.ts';
import { ORIGIN_SECRET_HEADER } from '../../shared/http/origin.ts';
import { DOMAINS, type RouteDef } from '../../shared/http/route.ts';
import { LIVE_STAGE } from '../../shared/realtime/protocol.ts';
import {
  apiDistribution,
  apiIdOf,
  envOf,
  functionsByService,
  onlyResource,
  propsOf,
  referencedId,
  resourcesOfApi,
  resourcesOfType,
  synthStack,
  TEST_REGION,
} from './synth.ts';

/** CloudFront's managed policies (ids are fixed by AWS). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

function stacks(region = TEST_REGION): { main: LokizStack; edge: Stack; app: App } {
  const main = synthStack('dev', { region });
  const app = main.node.root as App;
  return { main, edge: app.node.findChild('LokizEdgeStack') as Stack, app };
}

interface Rule {
  Name: string;
  Priority: number;
  Action?: unknown;
  OverrideAction?: unknown;
  Statement: Record<string, any>;
}

let main: Template;
let edge: Template;
let mainStack: LokizStack;
let edgeStack: Stack;
beforeAll(() => {
  const s = stacks();
  mainStack = s.main;
  edgeStack = s.edge;
  main = Template.fromStack(s.main);
  edge = Template.fromStack(s.edge);
});

describe('the web ACL stack', () => {
  it(`lives in ${EDGE_REGION} while the API is elsewhere (${TEST_REGION})`, () => {
    expect(edgeStack.region).toBe('us-east-1');
    expect(mainStack.region).toBe(TEST_REGION);
    expect(edgeStack.stackName).toBe('lokiz-dev-edge');
    // The main stack depends on it, so one `cdk deploy lokiz-dev` deploys it first.
    expect(mainStack.dependencies).toContain(edgeStack);
  });

  it('counts every sign-in, sign-up, verification, reset and password check under the auth rate rule', () => {
    const { prefix, exact } = authRatePaths();
    const authClass = ROUTE_DEFS.filter((d) => d.throttle === 'auth');
    for (const name of [
      'register',
      'login',
      'refresh',
      'verifyEmail',
      'resendVerification',
      'forgotPassword',
      'resetPassword',
    ] as const) {
      const def = (routes as Record<string, RouteDef>)[name];
      expect(def, name).toBeDefined();
      expect(def!.path.startsWith(prefix), name).toBe(true);
    }
    for (const def of authClass) {
      expect(def.path.startsWith(prefix) || exact.includes(def.path), `${def.method} ${def.path}`).toBe(true);
    }
    expect(() => authRatePaths([{ ...authClass[0]!, path: '/v1/x/{id}' }])).toThrow(/has a parameter/);
  });

  it('holds a CLOUDFRONT-scope web ACL: per-IP rate rules (tighter for auth and AI creation) and the common rule set', () => {
    const [, acl] = onlyResource(edge, 'AWS::WAFv2::WebACL');
    const props = propsOf(acl, 'web ACL');
    expect(props).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rules = props.Rules as Rule[];
    expect(rules.map((r) => r.Name)).toEqual([
      'AuthPerIp',
      'AiCreatePerIp',
      'AllPerIp',
      'AWSManagedRulesCommonRuleSet',
    ]);
    const byName = Object.fromEntries(rules.map((r) => [r.Name, r]));

    const rate = (name: string) => byName[name]!.Statement.RateBasedStatement;
    for (const [name, limit] of [
      ['AuthPerIp', WAF_RATE_LIMITS.auth],
      ['AiCreatePerIp', WAF_RATE_LIMITS.aiCreate],
      ['AllPerIp', WAF_RATE_LIMITS.perIp],
    ] as const) {
      expect(rate(name), name).toMatchObject({
        Limit: limit,
        AggregateKeyType: 'IP',
        EvaluationWindowSec: WAF_WINDOW_SECONDS,
      });
      expect(byName[name]!.Action, name).toEqual({
        Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'tooManyRequests' } },
      });
    }
    expect(WAF_RATE_LIMITS.auth).toBeLessThan(WAF_RATE_LIMITS.perIp);
    expect(WAF_RATE_LIMITS.aiCreate).toBeLessThan(WAF_RATE_LIMITS.perIp);
    // Scopes: /v1/auth/* and the other password-checking routes; POST /v1/ai/*; everything but
    // Replicate's webhooks.
    const auth = rate('AuthPerIp').ScopeDownStatement.OrStatement.Statements;
    expect(
      auth.map((s: any) => [s.ByteMatchStatement.SearchString, s.ByteMatchStatement.PositionalConstraint]),
    ).toEqual([
      ['/v1/auth/', 'STARTS_WITH'],
      ['/v1/account', 'EXACTLY'],
      ['/v1/account/password', 'EXACTLY'],
    ]);
    for (const s of auth) expect(s.ByteMatchStatement.FieldToMatch).toEqual({ UriPath: {} });
    const ai = rate('AiCreatePerIp').ScopeDownStatement.AndStatement.Statements;
    expect(
      ai.map((s: any) => [s.ByteMatchStatement.SearchString, s.ByteMatchStatement.PositionalConstraint]),
    ).toEqual([
      ['POST', 'EXACTLY'],
      ['/v1/ai/', 'STARTS_WITH'],
    ]);
    expect(rate('AllPerIp').ScopeDownStatement.NotStatement.Statement.ByteMatchStatement.SearchString).toBe(
      REPLICATE_WEBHOOK_PATH,
    );

    const common = byName.AWSManagedRulesCommonRuleSet!;
    expect(common.OverrideAction).toEqual({ None: {} });
    expect(common.Statement.ManagedRuleGroupStatement).toMatchObject({
      VendorName: 'AWS',
      Name: 'AWSManagedRulesCommonRuleSet',
      RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
    });
    // Not on Replicate's signed webhooks (their body echoes prompts).
    expect(
      common.Statement.ManagedRuleGroupStatement.ScopeDownStatement.NotStatement.Statement.ByteMatchStatement
        .SearchString,
    ).toBe(REPLICATE_WEBHOOK_PATH);
  });

  it("answers 429 in the API's own error shape", () => {
    const [, acl] = onlyResource(edge, 'AWS::WAFv2::WebACL');
    const body = (
      propsOf(acl, 'web ACL').CustomResponseBodies as Record<string, { ContentType: string; Content: string }>
    ).tooManyRequests!;
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content)).toEqual({
      error: { code: 'too_many_requests', message: expect.any(String) },
    });
  });
});

describe('the API behind CloudFront', () => {
  it("attaches the us-east-1 web ACL through a cross-region reference to the edge stack's output", () => {
    const [, distribution] = apiDistribution(main);
    const config = propsOf(distribution, 'distribution').DistributionConfig as Record<string, any>;
    const ref = config.WebACLId['Fn::GetStackOutput'];
    expect(ref).toMatchObject({ StackName: 'lokiz-dev-edge', Region: 'us-east-1' });
    const output = (edge.toJSON().Outputs as Record<string, { Value: unknown }>)[ref.OutputName];
    expect(output?.Value).toEqual({ 'Fn::GetAtt': [onlyResource(edge, 'AWS::WAFv2::WebACL')[0], 'Arn'] });
  });

  it('forwards every request uncached to the execute-api origin over TLS 1.2, with the secret origin header', () => {
    const [, distribution] = apiDistribution(main);
    const config = propsOf(distribution, 'distribution').DistributionConfig as Record<string, any>;
    expect(config.DefaultCacheBehavior).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
    });
    const [origin] = config.Origins;
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
      OriginReadTimeout: 30,
    });
    // The HTTP API (the WebSocket API of live updates has its own behavior, below).
    const apiId = apiIdOf(main, 'HTTP');
    expect(JSON.stringify(origin.DomainName)).toContain(`{"Ref":"${apiId}"},".execute-api.${TEST_REGION}."`);
    expect(origin.OriginCustomHeaders).toHaveLength(1);
    const header = origin.OriginCustomHeaders[0];
    expect(header.HeaderName).toBe(ORIGIN_SECRET_HEADER);
    // A deploy-time dynamic reference: the value itself is never in the template.
    const secretId = referencedId(header.HeaderValue['Fn::Join'][1][1]);
    expect(header.HeaderValue['Fn::Join'][1][0]).toBe('{{resolve:secretsmanager:');
    expect(resourcesOfType(main, 'AWS::SecretsManager::Secret')[secretId!]).toBeDefined();
    expect(config.Logging).toMatchObject({ Prefix: 'api/' });
    // Into CloudFront's one log bucket, which the media CDN logs to under media-cdn/.
    expect(referencedId(config.Logging.Bucket)).toMatch(/^MediaCdnLogsBucket/);

    // Every domain Lambda checks that header, reading the same secret, and so does $connect of
    // live updates (below); no other worker needs it.
    for (const [service, id] of functionsByService(main)) {
      const name = service.replace(/^lokiz-/, '');
      const checks = (DOMAINS as readonly string[]).includes(name) || name === LIVE_FUNCTION;
      expect(referencedId(envOf(main, id).ORIGIN_SECRET_ARN), service).toBe(checks ? secretId : undefined);
    }
  });

  it('carries the WebSocket API of live updates at /live: uncached, the same web ACL, the origin header', () => {
    const [, distribution] = apiDistribution(main);
    const config = propsOf(distribution, 'distribution').DistributionConfig as Record<string, any>;
    expect(config.CacheBehaviors).toHaveLength(1);
    const [live] = config.CacheBehaviors;
    expect(live).toMatchObject({
      PathPattern: `/${LIVE_STAGE}`,
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: CACHING_DISABLED,
      // Sec-WebSocket-* and the ?token= query reach API Gateway; Host stays execute-api's.
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
    });
    const origin = config.Origins.find((o: { Id: string }) => o.Id === live.TargetOriginId);
    const wsApiId = apiIdOf(main, 'WEBSOCKET');
    expect(JSON.stringify(origin.DomainName)).toContain(
      `{"Ref":"${wsApiId}"},".execute-api.${TEST_REGION}."`,
    );
    // No origin path: /live is the stage's name in the request path.
    expect(origin.OriginPath ?? '').toBe('');
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    const [header] = origin.OriginCustomHeaders;
    expect(header.HeaderName).toBe(ORIGIN_SECRET_HEADER);
    const [apiOrigin] = config.Origins;
    expect(header.HeaderValue).toEqual(apiOrigin.OriginCustomHeaders[0].HeaderValue);
  });

  it('keeps API Gateway and its per-route throttles behind it as the global ceiling', () => {
    const [stage] = Object.values(resourcesOfApi(main, 'AWS::ApiGatewayV2::Stage', apiIdOf(main, 'HTTP')));
    expect(propsOf(stage, 'stage').DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: expect.any(Number),
    });
  });
});

describe('regions', () => {
  it('synthesises the whole app offline with the API in any region, us-east-1 included', () => {
    for (const region of ['ap-northeast-2', 'us-east-1']) {
      const { app } = stacks(region);
      const assembly = app.synth({ force: true });
      const environments = Object.fromEntries(
        assembly.stacks.map((s) => [s.stackName, s.environment.region]),
      );
      expect(environments).toEqual({ 'lokiz-dev-edge': 'us-east-1', 'lokiz-dev': region });
    }
  });

  it("passes CloudFormation's schema validation, as `cdk synth` runs it", () => {
    const previous = process.env.CDK_VALIDATION;
    delete process.env.CDK_VALIDATION;
    try {
      const { app } = stacks('eu-central-1');
      expect(() => app.synth({ force: true })).not.toThrow();
    } finally {
      if (previous !== undefined) process.env.CDK_VALIDATION = previous;
    }
  }, 120_000);

  it('needs a region to be named, and says how', () => {
    const saved = { a: process.env.CDK_DEFAULT_REGION, b: process.env.AWS_REGION };
    delete process.env.CDK_DEFAULT_REGION;
    delete process.env.AWS_REGION;
    try {
      expect(() => regionOf(new App())).toThrow(/export AWS_REGION=/);
      expect(() => createLokizStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }))).toThrow(
        /-c region=/,
      );
      expect(regionOf(new App({ context: { region: 'eu-central-1' } }))).toBe('eu-central-1');
    } finally {
      if (saved.a !== undefined) process.env.CDK_DEFAULT_REGION = saved.a;
      if (saved.b !== undefined) process.env.AWS_REGION = saved.b;
    }
  });
});
