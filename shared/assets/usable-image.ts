import type { DbOrTrx } from '../db/client.ts';
import { NotFoundError, ServiceUnavailableError, UnprocessableError } from '../http/errors.ts';
import { logger } from '../logging/logger.ts';
import { describeRefusal, screenImage } from '../screening/service.ts';
import { headObject } from '../storage/s3.ts';
import { requireFrameConsent } from '../videos/consent.ts';
import { findOwnAsset, MAX_IMAGE_BYTES, markAssetReady, setAssetScreening } from './repository.ts';

/**
 * An image of the caller's (an uploaded character image or a captured frame) that is really
 * in the bucket with the promised type and a sane size. Uploaded images are checked here,
 * on first use, rather than by an S3 event.
 */
export async function requireUsableImage(db: DbOrTrx, assetId: string, userId: string) {
  const asset = await findOwnAsset(db, assetId, userId);
  if (!asset || (asset.kind !== 'character_image' && asset.kind !== 'frame'))
    throw new NotFoundError('Image');
  await requireFrameConsent(db, asset, userId);
  if (asset.status === 'ready') return requireScreened(db, asset);
  if (asset.status === 'failed')
    throw new UnprocessableError('That image could not be used', undefined, 'image_unusable');
  const head = await headObject(asset.object_key);
  if (!head)
    throw new UnprocessableError('That image has not been uploaded yet', undefined, 'image_not_uploaded');
  const type = (head.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== asset.content_type || head.size === 0 || head.size > MAX_IMAGE_BYTES) {
    throw new UnprocessableError('The uploaded image is not what was declared', undefined, 'image_mismatch');
  }
  await markAssetReady(db, asset.id, head.size);
  return requireScreened(db, { ...asset, status: 'ready' as const });
}

/**
 * Content screening (Amazon Rekognition DetectModerationLabels) before the image is used, so
 * before any credit is spent: explicit or violent content is refused with 422 `image_rejected`.
 * The verdict is stored, so an image is screened once however often it is used.
 */
async function requireScreened<
  A extends { id: string; object_key: string; screening: string | null; screening_reason: string | null },
>(db: DbOrTrx, asset: A): Promise<A> {
  let reason = asset.screening === 'rejected' ? (asset.screening_reason ?? 'flagged') : null;
  let labels: { name: string; parent: string; confidence: number }[] = [];
  if (asset.screening === null) {
    const { refused } = await screenImage({ key: asset.object_key }).catch((err: unknown) => {
      // Throttling or an outage: nothing was spent; the client retries (Retry-After).
      logger.error('image screening failed', { asset_id: asset.id, error: err as Error });
      throw new ServiceUnavailableError(
        'Image screening is unavailable; try again shortly',
        'screening_unavailable',
      );
    });
    labels = refused;
    reason = refused.length ? describeRefusal(refused) : null;
    await setAssetScreening(db, asset.id, reason ? 'rejected' : 'passed', reason);
  }
  if (reason) {
    throw new UnprocessableError(
      `This image cannot be used: it was flagged as ${reason}`,
      { labels },
      'image_rejected',
    );
  }
  return asset;
}
