import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { HttpApi, IWebSocketApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { REPLICATE_WEBHOOK_PATH } from '../shared/ai/webhook-contract.ts';
import { ORIGIN_SECRET_HEADER } from '../shared/http/origin.ts';
import type { RouteDef } from '../shared/http/route.ts';
import { LIVE_STAGE } from '../shared/realtime/protocol.ts';
import { ROUTE_DEFS } from './route-table.ts';
import type { StageConfig } from './stage.ts';

/** A web ACL for CloudFront must be created in us-east-1, whatever the region of the API. */
export const EDGE_REGION = 'us-east-1';

/**
 * Requests per client IP per 5 minutes before AWS WAF answers 429 (its rate-based rules count
 * over a sliding 5-minute window). API Gateway's per-route throttles (api.ts) stay as the ceiling
 * for all clients together; the app's own per-account rules are in shared/limits/.
 */
export const WAF_RATE_LIMITS = {
  /** Any path but Replicate's webhooks (a few Replicate addresses deliver everyone's results). */
  perIp: 2000,
  /**
   * Routes of the `auth` throttle class: /v1/auth/* (sign-in, sign-up, refresh, verification and
   * password reset) and the password checks elsewhere (change password, delete account): password
   * hashing is expensive, and credential stuffing.
   */
  auth: 100,
  /** POST /v1/ai/*: each starts paid model work or ffmpeg. */
  aiCreate: 60,
} as const;
export const WAF_WINDOW_SECONDS = 300;

/** WAF's answer to a client over a rate limit: the API's own error shape. */
const TOO_MANY_REQUESTS_BODY = JSON.stringify({
  error: { code: 'too_many_requests', message: 'Too many requests from your network; slow down and retry' },
});

const startsWith = (path: string): wafv2.CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    searchString: path,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

const exactly = (path: string): wafv2.CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'EXACTLY',
    searchString: path,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

export const AUTH_PREFIX = '/v1/auth/';

/**
 * The paths the auth rate rule counts, from the route table: everything under /v1/auth/, and each
 * other route of the `auth` throttle class exactly (a new password-checking route is counted
 * without anyone remembering the web ACL).
 */
export function authRatePaths(defs: readonly RouteDef[] = ROUTE_DEFS): { prefix: string; exact: string[] } {
  const exact = defs
    .filter((d) => d.throttle === 'auth' && !d.path.startsWith(AUTH_PREFIX))
    .map((d) => d.path);
  const templated = exact.find((path) => path.includes('{'));
  if (templated)
    throw new Error(`auth-class route ${templated} has a parameter: give it a fixed path or /v1/auth/`);
  return { prefix: AUTH_PREFIX, exact: [...new Set(exact)].sort() };
}

function authScope(): wafv2.CfnWebACL.StatementProperty {
  const { prefix, exact } = authRatePaths();
  if (!exact.length) return startsWith(prefix);
  return { orStatement: { statements: [startsWith(prefix), ...exact.map(exactly)] } };
}

/** Everything but Replicate's signed webhooks. */
const notWebhook: wafv2.CfnWebACL.StatementProperty = {
  notStatement: { statement: startsWith(REPLICATE_WEBHOOK_PATH) },
};

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

function rateRule(
  name: string,
  priority: number,
  limit: number,
  scopeDownStatement: wafv2.CfnWebACL.StatementProperty,
): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'tooManyRequests' } } },
    statement: {
      rateBasedStatement: {
        limit,
        aggregateKeyType: 'IP',
        evaluationWindowSec: WAF_WINDOW_SECONDS,
        scopeDownStatement,
      },
    },
    visibilityConfig: visibility(`lokiz-${name}`),
  };
}

/**
 * The us-east-1 stack holding the API's AWS WAF web ACL (scope CLOUDFRONT). The main stack, in any
 * region, reads its ARN through CDK's cross-region references (an SSM parameter written in the
 * main stack's region), so one `cdk deploy` deploys both, this one first.
 */
export class EdgeAclStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps & { config: StageConfig }) {
    super(scope, id, props);
    this.webAcl = new wafv2.CfnWebACL(this, 'ApiWebAcl', {
      name: `lokiz-${props.config.stage}-api`,
      description:
        'LOKIZ API: per-IP rate limits, tighter for auth and AI creation, plus the AWS common rule set',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      customResponseBodies: {
        tooManyRequests: { contentType: 'APPLICATION_JSON', content: TOO_MANY_REQUESTS_BODY },
      },
      visibilityConfig: visibility(`lokiz-${props.config.stage}-api`),
      rules: [
        rateRule('AuthPerIp', 0, WAF_RATE_LIMITS.auth, authScope()),
        rateRule('AiCreatePerIp', 1, WAF_RATE_LIMITS.aiCreate, {
          andStatement: {
            statements: [
              {
                byteMatchStatement: {
                  fieldToMatch: { method: {} },
                  positionalConstraint: 'EXACTLY',
                  searchString: 'POST',
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
              startsWith('/v1/ai/'),
            ],
          },
        }),
        rateRule('AllPerIp', 2, WAF_RATE_LIMITS.perIp, notWebhook),
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 10,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              // Its 8 KB body cap would refuse long lyrics; every route has its own body limit
              // (shared/http/request.ts).
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
              // Replicate's webhooks are signed, and their body echoes people's prompts (which passed
              // these rules on the way in): a false positive there would lose a result.
              scopeDownStatement: notWebhook,
            },
          },
          visibilityConfig: visibility('lokiz-common-rule-set'),
        },
      ],
    });
  }
}

interface ApiEdgeProps {
  config: StageConfig;
  httpApi: HttpApi;
  /** The web ACL's ARN (EdgeAclStack, us-east-1). */
  webAclArn: string;
  /** Every domain Lambda: each refuses requests without CloudFront's origin header. */
  functions: Iterable<lambda.Function>;
  /** CloudFront's access-log bucket (ACLs on for log delivery), shared with the media CDN (infra/cdn.ts). */
  logBucket: s3.IBucket;
}

/**
 * CloudFront in front of the HTTP API (HTTP APIs cannot carry a WAF web ACL themselves), with the
 * ACL attached. CloudFront adds ORIGIN_SECRET_HEADER from a generated secret to every request,
 * and each domain Lambda refuses requests without it (shared/http/origin.ts), so the execute-api
 * endpoint cannot be used to skip the ACL. Nothing is cached: every request reaches the API.
 */
export class ApiEdge extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly originSecret: secretsmanager.Secret;
  /** `https://<id>.cloudfront.net`: the API's public base URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiEdgeProps) {
    super(scope, id);
    const { config } = props;
    this.originSecret = new secretsmanager.Secret(this, 'OriginSecret', {
      description: `LOKIZ ${config.stage}: the header CloudFront adds to prove a request came through it`,
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "The value is also in CloudFront's origin configuration (resolved at deploy time), so a " +
        'Secrets Manager rotation would fail every request until the next deploy. Rotate it by ' +
        'changing the secret and deploying (README: Deploy); Lambdas re-read it when it stops matching.',
    });

    const apiDomain = `${props.httpApi.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `LOKIZ ${config.stage} API`,
      webAclId: props.webAclArn,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'api/',
      defaultBehavior: {
        origin: new origins.HttpOrigin(apiDomain, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          // API Gateway itself gives up after 30 s.
          readTimeout: Duration.seconds(30),
          customHeaders: { [ORIGIN_SECRET_HEADER]: this.originSecret.secretValue.unsafeUnwrap() },
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // Everything the client sent (Authorization included) but Host, which must be execute-api's,
        // plus CloudFront's own headers such as CloudFront-Viewer-Address (the client's IP).
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'LOKIZ is offered worldwide: no country is blocked (the WAF rate-limits abusive clients instead).',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        "The default *.cloudfront.net certificate can't pin a minimum TLS version; with a custom domain " +
        'and an ACM certificate, set minimumProtocolVersion TLSv1.2_2021 (README: Deploy).',
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    for (const fn of props.functions) this.requireOriginHeader(fn);
  }

  /** `fn` refuses requests without ORIGIN_SECRET_HEADER (shared/http/origin.ts), reading the secret. */
  private requireOriginHeader(fn: lambda.Function): void {
    fn.addEnvironment('ORIGIN_SECRET_ARN', this.originSecret.secretArn);
    this.originSecret.grantRead(fn);
  }

  /**
   * The WebSocket API of live updates through the same distribution and web ACL, at `/live`:
   * WAF sees each handshake (the HTTP upgrade request), so connection floods meet the per-IP
   * limits, and $connect refuses a handshake without the origin header, as the HTTP API's Lambdas
   * do. CloudFront carries WebSockets as they are; the handshake's Sec-WebSocket-* headers and the
   * `?token=` query reach API Gateway through the same all-viewer origin request policy.
   * Returns the public `wss://` URL.
   */
  routeLiveUpdates(webSocketApi: IWebSocketApi, liveFunction: lambda.Function): string {
    const stack = Stack.of(this);
    const domain = `${webSocketApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    this.distribution.addBehavior(
      `/${LIVE_STAGE}`,
      new origins.HttpOrigin(domain, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        customHeaders: { [ORIGIN_SECRET_HEADER]: this.originSecret.secretValue.unsafeUnwrap() },
      }),
      {
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        // The handshake is a GET.
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    );
    this.requireOriginHeader(liveFunction);
    return `wss://${this.distribution.distributionDomainName}/${LIVE_STAGE}`;
  }
}
