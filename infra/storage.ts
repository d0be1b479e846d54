import { Duration, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
/** Scratch space (studio renders, intermediate files): anything here is gone after a day. */
import { AVATAR_INBOX_PREFIX, EXPORTS_PREFIX } from '../shared/storage/keys.ts';
import type { StageConfig } from './stage.ts';

export const TMP_PREFIX = 'tmp/';

/**
 * The private media bucket (shared/storage/keys.ts names its prefixes). Browsers never read
 * or write it directly except through presigned URLs, so nothing here is public.
 */
export class MediaStorage extends Construct {
  readonly bucket: s3.Bucket;
  /** Where S3 delivers the media bucket's server access logs (who read or wrote which key). */
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    const { config } = props;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Log delivery is granted by bucket policy (@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy),
      // so ACLs stay disabled; S3 log delivery supports SSE-S3 only (not SSE-KMS).
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: config.accessLogExpiration }],
      removalPolicy: config.media.removalPolicy,
      autoDeleteObjects: config.media.autoDeleteObjects,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket itself: logging it into itself would loop, and a third bucket ' +
        'would only move the question. Only S3 log delivery writes here.',
    });

    this.bucket = new s3.Bucket(this, 'MediaBucket', {
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'media/',
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
        // Data exports: the download link works 7 days (EXPORT_LINK_DAYS); a day of slack.
        { id: 'expire-exports', prefix: EXPORTS_PREFIX, expiration: Duration.days(8) },
        // Avatar uploads that never got processed (the worker deletes the rest).
        { id: 'expire-avatar-inbox', prefix: AVATAR_INBOX_PREFIX, expiration: Duration.days(1) },
      ],
      removalPolicy: config.media.removalPolicy,
      autoDeleteObjects: config.media.autoDeleteObjects,
    });
  }
}
