import type { DbOrTrx } from '../db/client.ts';

export const IMAGE_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;
export type ImageContentType = keyof typeof IMAGE_TYPES;
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export function insertAsset(
  db: DbOrTrx,
  asset: {
    id: string;
    owner_id: string;
    kind: 'character_image' | 'frame' | 'audio';
    object_key: string;
    content_type: string;
    status?: 'uploading' | 'ready';
    size_bytes?: number;
    source_video_id?: string | null;
  },
) {
  return db.insertInto('media_assets').values(asset).returningAll().executeTakeFirstOrThrow();
}

export function findOwnAsset(db: DbOrTrx, id: string, ownerId: string) {
  return db
    .selectFrom('media_assets')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
}

export function findAssetState(db: DbOrTrx, id: string) {
  return db
    .selectFrom('media_assets')
    .select(['status', 'object_key'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * `sizeBytes` undefined keeps the recorded size (an AI output copied by an earlier delivery).
 * Only an asset still uploading becomes ready: true when this call did it.
 */
export async function markAssetReady(db: DbOrTrx, id: string, sizeBytes?: number): Promise<boolean> {
  const [res] = await db
    .updateTable('media_assets')
    .set({ status: 'ready', ...(sizeBytes === undefined ? {} : { size_bytes: sizeBytes }) })
    .where('id', '=', id)
    .where('status', '=', 'uploading')
    .execute();
  return Boolean(res?.numUpdatedRows);
}

export function markAssetFailed(db: DbOrTrx, id: string) {
  return db.updateTable('media_assets').set({ status: 'failed' }).where('id', '=', id).execute();
}

/** Account deletion: a batch of a person's images, frames and music, with their object keys. */
export function listAssetsOf(db: DbOrTrx, ownerId: string, limit: number) {
  return db
    .selectFrom('media_assets')
    .select(['id', 'object_key'])
    .where('owner_id', '=', ownerId)
    .limit(limit)
    .execute();
}

/** Frames anyone captured from a video (media_assets_source_video_idx), a batch at a time. */
export function listFramesOfVideo(db: DbOrTrx, videoId: string, limit: number) {
  return db
    .selectFrom('media_assets')
    .select(['id', 'object_key'])
    .where('source_video_id', '=', videoId)
    .where('kind', '=', 'frame')
    .limit(limit)
    .execute();
}

export function deleteAssets(db: DbOrTrx, ids: string[]) {
  return db.deleteFrom('media_assets').where('id', 'in', ids).execute();
}

/** Records a character image's screening verdict (it is screened once, on first use). */
export function setAssetScreening(
  db: DbOrTrx,
  id: string,
  verdict: 'passed' | 'rejected',
  reason: string | null,
) {
  return db
    .updateTable('media_assets')
    .set({ screening: verdict, screening_reason: reason })
    .where('id', '=', id)
    .execute();
}
