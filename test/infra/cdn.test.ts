import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CDN_INVALIDATORS } from '../../infra/cdn.ts';
import {
  bucketPolicyOf,
  envOf,
  functionsByService,
  mediaBucket,
  mediaDistribution,
  onlyResource,
  propsOf,
  referencedId,
  resourcesOfType,
  roleOf,
  statementsOf,
  statementsOfRole,
  synthStack,
  synthTemplate,
} from './synth.ts';

let dev: ReturnType<typeof synthTemplate>;
let prod: ReturnType<typeof synthTemplate>;
beforeAll(() => {
  dev = synthTemplate('dev');
  prod = synthTemplate('prod');
});

type Config = Record<string, unknown> & {
  Origins: Array<Record<string, unknown>>;
  DefaultCacheBehavior: Record<string, unknown>;
};
const distributionConfig = (template: Template): [string, Config] => {
  const [id, distribution] = mediaDistribution(template);
  return [id, propsOf(distribution, 'distribution').DistributionConfig as Config];
};

describe('media CDN', () => {
  it('serves the media bucket through Origin Access Control (SigV4), no origin access identity', () => {
    const [, config] = distributionConfig(dev);
    const [oacId, oac] = onlyResource(dev, 'AWS::CloudFront::OriginAccessControl');
    expect(propsOf(oac, 'OAC').OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(config.Origins).toHaveLength(1);
    const origin = config.Origins[0]!;
    expect(referencedId(origin.DomainName)).toBe(mediaBucket(dev)[0]);
    expect(JSON.stringify(origin.DomainName)).toContain('RegionalDomainName');
    expect(referencedId(origin.OriginAccessControlId)).toBe(oacId);
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });

  it('lets only this distribution read only media/ from the still private bucket', () => {
    const [bucketId, bucket] = mediaBucket(dev);
    expect(bucket.Properties?.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const [distributionId] = distributionConfig(dev);
    const cloudFront = statementsOf(bucketPolicyOf(dev, bucketId)).filter((s) =>
      JSON.stringify(s.Principal ?? '').includes('cloudfront'),
    );
    expect(cloudFront).toHaveLength(1);
    const [statement] = cloudFront;
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/media/*']] },
    });
    const sourceArn = JSON.stringify(
      (statement!.Condition as { StringEquals: Record<string, unknown> }).StringEquals['AWS:SourceArn'],
    );
    expect(sourceArn).toContain(':cloudfront::');
    expect(sourceArn).toContain(`"Ref":"${distributionId}"`);
  });

  it('caches for a year with nothing from the viewer in the key, GET/HEAD only, HTTPS only', () => {
    const [, config] = distributionConfig(dev);
    const [policyId, policy] = onlyResource(dev, 'AWS::CloudFront::CachePolicy');
    expect(propsOf(policy, 'cache policy').CachePolicyConfig).toMatchObject({
      DefaultTTL: 365 * 86_400,
      MaxTTL: 365 * 86_400,
      MinTTL: 0,
      ParametersInCacheKeyAndForwardedToOrigin: {
        CookiesConfig: { CookieBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
        EnableAcceptEncodingGzip: false,
      },
    });
    expect(config.DefaultCacheBehavior).toMatchObject({
      CachePolicyId: { Ref: policyId },
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      CachedMethods: ['GET', 'HEAD'],
      Compress: false,
    });
  });

  it('adds CORS for players on any origin, HSTS and nosniff', () => {
    const [, config] = distributionConfig(dev);
    const [headersId, headers] = onlyResource(dev, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: headersId });
    expect(propsOf(headers, 'response headers').ResponseHeadersPolicyConfig).toMatchObject({
      CorsConfig: {
        AccessControlAllowOrigins: { Items: ['*'] },
        AccessControlAllowMethods: { Items: ['GET', 'HEAD'] },
        AccessControlAllowCredentials: false,
      },
      SecurityHeadersConfig: {
        StrictTransportSecurity: { AccessControlMaxAgeSec: 365 * 86_400, IncludeSubdomains: true },
        ContentTypeOptions: { Override: true },
      },
    });
  });

  it('writes access logs to its own encrypted, expiring bucket', () => {
    const [, config] = distributionConfig(dev);
    const logging = config.Logging as { Bucket: unknown; Prefix: string };
    const logsBucketId = referencedId(logging.Bucket)!;
    expect(logsBucketId).toMatch(/^MediaCdnLogsBucket/);
    const logsBucket = propsOf(resourcesOfType(dev, 'AWS::S3::Bucket')[logsBucketId], 'CDN logs bucket');
    expect(logsBucket).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 30 })] },
    });
    expect(logging.Prefix).toBe('media-cdn/');
  });

  it('uses the cheapest edge set in dev and every region in prod', () => {
    expect(distributionConfig(dev)[1].PriceClass).toBe('PriceClass_100');
    expect(distributionConfig(prod)[1].PriceClass).toBe('PriceClass_All');
    expect(distributionConfig(dev)[1].HttpVersion).toBe('http2and3');
  });

  it('answers on its cloudfront.net name by default, on a given domain with TLS 1.2 or later', () => {
    expect(distributionConfig(dev)[1].Aliases).toBeUndefined();
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const withDomain = Template.fromStack(
      synthStack('prod', { mediaDomain: 'media.lokiz.example', mediaCertificateArn: arn }),
    );
    const [, config] = distributionConfig(withDomain);
    expect(config.Aliases).toEqual(['media.lokiz.example']);
    expect(config.ViewerCertificate).toMatchObject({
      AcmCertificateArn: arn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    withDomain.hasOutput('MediaDomain', { Value: 'media.lokiz.example' });
    expect(() => synthStack('dev', { mediaDomain: 'media.lokiz.example' })).toThrow(/mediaCertificateArn/);
    expect(() =>
      synthStack('dev', {
        mediaDomain: 'media.lokiz.example',
        mediaCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      }),
    ).toThrow(/us-east-1/);
  });

  it('gives every function the media base URL, and only removers the distribution and CreateInvalidation', () => {
    const [distributionId] = distributionConfig(dev);
    const base = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };
    for (const [service, id] of functionsByService(dev)) {
      const name = service.replace(/^lokiz-/, '');
      if (name === 'migrate') continue;
      const env = envOf(dev, id);
      expect(env.MEDIA_CDN_BASE_URL, name).toEqual(base);
      const invalidations = statementsOfRole(dev, roleOf(dev, id)).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('cloudfront:')),
      );
      if ((CDN_INVALIDATORS as readonly string[]).includes(name)) {
        expect(env.MEDIA_CDN_DISTRIBUTION_ID, name).toEqual({ Ref: distributionId });
        expect(invalidations, name).toHaveLength(1);
        expect(invalidations[0]!.Action).toBe('cloudfront:CreateInvalidation');
        expect(JSON.stringify(invalidations[0]!.Resource)).toContain(`"Ref":"${distributionId}"`);
      } else {
        expect(env.MEDIA_CDN_DISTRIBUTION_ID, name).toBeUndefined();
        expect(invalidations, name).toEqual([]);
      }
    }
    // Video removal and visibility moves; account deletion (videos, avatar); a replaced avatar;
    // retiring the revision music replaced (apply-soundtrack).
    expect([...CDN_INVALIDATORS].sort()).toEqual([
      'account-deletion',
      'apply-soundtrack',
      'process-upload',
      'videos',
    ]);
  });
});
