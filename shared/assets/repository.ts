import type { DbOrTrx } from '../db/client.ts';

export const IMAGE_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;
export type ImageContentType = keyof typeof IMAGE_TYPES;
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export function assetKey(userId: string, assetId: string, ext: string): string {
  return `assets/${userId}/${assetId}.${ext}`;
}

export function insertAsset(
  db: DbOrTrx,
  asset: {
    id: string;
    owner_id: string;
    kind: 'character_image' | 'frame';
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

export function markAssetReady(db: DbOrTrx, id: string, sizeBytes: number) {
  return db
    .updateTable('media_assets')
    .set({ status: 'ready', size_bytes: sizeBytes })
    .where('id', '=', id)
    .execute();
}
