import { randomUUID } from 'node:crypto';
import { logger } from '../logging/logger.ts';
import { cdnEnv } from './config.ts';

/**
 * Telling the media CDN to forget paths (removed videos, a video made private). In AWS:
 * CloudFront CreateInvalidation on MEDIA_CDN_DISTRIBUTION_ID (the SDK client loaded on first use:
 * only deletes and visibility changes need it). Without a distribution (npm run dev, tests) the
 * local stand-in serves straight from the bucket and caches nothing, so the call is logged and
 * recorded (`localInvalidations`) instead.
 */
type CloudFrontSdk = typeof import('@aws-sdk/client-cloudfront');
let sdk: Promise<CloudFrontSdk> | undefined;
let client: InstanceType<CloudFrontSdk['CloudFrontClient']> | undefined;

const recorded: string[][] = [];

/** Paths the local stand-in was asked to invalidate, oldest first (for tests and the demo). */
export function localInvalidations(): readonly string[][] {
  return recorded;
}

export async function invalidateCdnPaths(paths: string[]): Promise<void> {
  if (!paths.length) return;
  const distributionId = cdnEnv().MEDIA_CDN_DISTRIBUTION_ID;
  if (!distributionId) {
    recorded.push([...paths]);
    logger.info('[cdn-standin] (offline stand-in, not CloudFront) invalidation', { paths });
    return;
  }
  sdk ??= import('@aws-sdk/client-cloudfront');
  const { CloudFrontClient, CreateInvalidationCommand } = await sdk;
  client ??= new CloudFrontClient({});
  const out = await client.send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: {
        // Unique per call: a retried removal invalidates again, which is harmless.
        CallerReference: randomUUID(),
        Paths: { Quantity: paths.length, Items: paths },
      },
    }),
  );
  logger.info('CDN invalidation created', { paths, invalidation_id: out.Invalidation?.Id });
}
