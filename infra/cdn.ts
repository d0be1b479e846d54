import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MEDIA_PREFIX } from '../shared/storage/keys.ts';
import type { FunctionName } from './function-sizing.ts';
import type { StageConfig } from './stage.ts';

/**
 * Functions that remove public media and so invalidate CDN paths (shared/storage/cdn.ts): a deleted
 * or re-scoped video, a deleted account's videos and avatar, a replaced avatar, a revision replaced
 * by one with music.
 */
export const CDN_INVALIDATORS: readonly FunctionName[] = [
  'videos',
  'account-deletion',
  'process-upload',
  'apply-soundtrack',
];

/** A year: every object under media/ is written once under a fresh key (shared/storage/keys.ts). */
const IMMUTABLE_TTL = Duration.days(365);

export interface MediaCdnProps {
  config: StageConfig;
  bucket: s3.IBucket;
  /**
   * Optional custom domain (`-c mediaDomain=media.example.com -c mediaCertificateArn=arn:aws:acm:us-east-1:…`).
   * Without one the distribution answers on its *.cloudfront.net name with CloudFront's certificate.
   */
  domain?: { name: string; certificateArn: string };
}

/**
 * The S3 origin through Origin Access Control, with a bucket policy of our own: CDK's
 * S3BucketOrigin.withOriginAccessControl grants the distribution every object (`bucket/*`), and
 * this one may read only media/ (public media), never uploads, originals or private media.
 */
class MediaPrefixOrigin extends cloudfront.OriginBase {
  constructor(
    private readonly bucket: s3.IBucket,
    oac: cloudfront.IOriginAccessControl,
  ) {
    super(bucket.bucketRegionalDomainName, {
      originAccessControlId: oac.originAccessControlRef.originAccessControlId,
    });
  }

  override bind(scope: Construct, options: cloudfront.OriginBindOptions): cloudfront.OriginBindConfig {
    const stack = Stack.of(scope);
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontReadsPublicMedia',
        effect: iam.Effect.ALLOW,
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${MEDIA_PREFIX}*`)],
        conditions: {
          StringEquals: {
            'AWS:SourceArn': `arn:${stack.partition}:cloudfront::${stack.account}:distribution/${options.distributionId}`,
          },
        },
      }),
    );
    return super.bind(scope, options);
  }

  // An S3 REST origin signed by OAC: no origin access identity.
  protected override renderS3OriginConfig(): cloudfront.CfnDistribution.S3OriginConfigProperty {
    return { originAccessIdentity: '' };
  }
}

/**
 * CloudFront in front of the private media bucket: public videos' renditions, posters and previews
 * (`media/…`) at `https://<domain>/media/<video>/<rev>/play.mp4`, cached for a year (the keys are
 * immutable), with no cookies or query strings in the cache key. Its own construct: the API's
 * distribution (and WAF) is a separate one.
 */
export class MediaCdn extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** `https://<domain>`: MEDIA_CDN_BASE_URL of every function. */
  readonly baseUrl: string;
  readonly domainName: string;
  readonly logsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: MediaCdnProps) {
    super(scope, id);
    const { config, bucket, domain } = props;

    // CloudFront's standard logs are delivered with an object ACL, so this bucket keeps ACLs on
    // (the media bucket and its access-log bucket have them off). The API's distribution
    // (infra/edge.ts) logs here too, under api/.
    this.logsBucket = new s3.Bucket(this, 'LogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-cdn-logs', expiration: config.accessLogExpiration }],
      removalPolicy: config.media.removalPolicy,
      autoDeleteObjects: config.media.autoDeleteObjects,
    });
    Validations.of(this.logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This bucket holds CloudFront's own access logs (the media and API distributions): logging its reads " +
        'into yet another bucket would only move the question. Only CloudFront log delivery writes here.',
    });

    const oac = new cloudfront.S3OriginAccessControl(this, 'OriginAccessControl', {
      description: `LOKIZ ${config.stage}: CloudFront signs its requests to the media bucket (SigV4)`,
      signing: cloudfront.Signing.SIGV4_ALWAYS,
    });

    const cachePolicy = new cloudfront.CachePolicy(this, 'CachePolicy', {
      comment: 'Immutable media: a year, nothing from the viewer in the cache key',
      minTtl: Duration.seconds(0),
      defaultTtl: IMMUTABLE_TTL,
      maxTtl: IMMUTABLE_TTL,
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      // mp4 and JPEG are compressed already.
      enableAcceptEncodingGzip: false,
      enableAcceptEncodingBrotli: false,
    });

    const responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ResponseHeaders', {
      comment: 'Public media: any web origin may play them; HSTS and nosniff',
      corsBehavior: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: ['range'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowOrigins: ['*'],
        accessControlExposeHeaders: ['content-length', 'content-range', 'etag'],
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `LOKIZ ${config.stage} media (public renditions, posters, previews)`,
      defaultBehavior: {
        origin: new MediaPrefixOrigin(bucket, oac),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy,
        responseHeadersPolicy: responseHeaders,
        compress: false,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: config.cdnPriceClass,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'media-cdn/',
      ...(domain
        ? {
            domainNames: [domain.name],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: LOKIZ is a public app for any country, and the media are public videos ' +
        'that anyone may watch in the app.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Read-only, immutable public objects behind a cache (GET/HEAD only, no query strings or cookies, ' +
        'the bucket reachable only through this distribution for media/): a WAF would filter requests ' +
        'that can do nothing but read a cached file. The API has its own distribution and WAF.',
    });
    if (!domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          "No custom domain given (-c mediaDomain/-c mediaCertificateArn): the *.cloudfront.net name uses CloudFront's " +
          'default certificate, whose minimum TLS version CloudFront fixes (TLSv1). With a domain the ' +
          'distribution requires TLSv1.2_2021.',
      });
    }

    this.domainName = domain?.name ?? this.distribution.distributionDomainName;
    this.baseUrl = `https://${this.domainName}`;
  }

  /** MEDIA_CDN_BASE_URL for every function; the distribution id and invalidation for CDN_INVALIDATORS. */
  connect(functions: ReadonlyMap<FunctionName, lambda.Function>): void {
    for (const [name, fn] of functions) {
      fn.addEnvironment('MEDIA_CDN_BASE_URL', this.baseUrl);
      if (!CDN_INVALIDATORS.includes(name)) continue;
      fn.addEnvironment('MEDIA_CDN_DISTRIBUTION_ID', this.distribution.distributionId);
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['cloudfront:CreateInvalidation'],
          resources: [this.distribution.distributionArn],
        }),
      );
    }
  }
}

/** `-c mediaDomain=… -c mediaCertificateArn=…` (both or neither). */
export function mediaDomainFromContext(
  mediaDomain: unknown,
  mediaCertificateArn: unknown,
): MediaCdnProps['domain'] {
  if (mediaDomain === undefined && mediaCertificateArn === undefined) return undefined;
  if (typeof mediaDomain !== 'string' || typeof mediaCertificateArn !== 'string') {
    throw new Error(
      'Give both -c mediaDomain=… and -c mediaCertificateArn=… (an ACM certificate in us-east-1)',
    );
  }
  if (!/^arn:aws[\w-]*:acm:us-east-1:/.test(mediaCertificateArn)) {
    throw new Error('CloudFront needs an ACM certificate from us-east-1 (mediaCertificateArn)');
  }
  return { name: mediaDomain, certificateArn: mediaCertificateArn };
}
