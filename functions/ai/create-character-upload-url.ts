import { randomUUID } from 'node:crypto';
import { IMAGE_TYPES, insertAsset } from '../../shared/assets/repository.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { assetKey } from '../../shared/storage/keys.ts';
import { presignUpload } from '../../shared/storage/s3.ts';
import type { Routes } from '../routes.ts';

export const createCharacterUploadUrl: RouteHandler<Routes['createCharacterUploadUrl']> = async ({
  body,
  user,
}) => {
  const id = randomUUID();
  const key = assetKey(user.id, id, IMAGE_TYPES[body.content_type]);
  const upload = await presignUpload(key, body.content_type, body.size_bytes);
  await insertAsset(getDb(), {
    id,
    owner_id: user.id,
    kind: 'character_image',
    object_key: key,
    content_type: body.content_type,
  });
  return {
    asset_id: id,
    upload_url: upload.url,
    expires_at: upload.expiresAt.toISOString(),
    method: 'PUT' as const,
    headers: { 'content-type': body.content_type },
  };
};
