import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { StageConfig } from './stage.ts';

/** Scratch space (studio renders, intermediate files): anything here is gone after a day. */
export const TMP_PREFIX = 'tmp/';

/**
 * The private media bucket (shared/storage/keys.ts names its prefixes). Browsers never read
 * or write it directly except through presigned URLs, so nothing here is public.
 */
export class MediaStorage extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    const { config } = props;

    this.bucket = new s3.Bucket(this, 'MediaBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      // Presigned PUT/GET from web clients; native apps don't send Origin and don't need it.
      cors: config.corsOrigins.length
        ? [
            {
              allowedOrigins: config.corsOrigins,
              allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
              // Content-Length is set by the browser itself; Content-Type is signed into the URL.
              allowedHeaders: ['content-type'],
              exposedHeaders: ['ETag'],
              maxAge: 3600,
            },
          ]
        : undefined,
      lifecycleRules: [
        // Abandoned multipart uploads are billed but invisible in listings.
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'expire-tmp', prefix: TMP_PREFIX, expiration: Duration.days(1) },
      ],
      removalPolicy: config.media.removalPolicy,
      autoDeleteObjects: config.media.autoDeleteObjects,
    });
  }
}
