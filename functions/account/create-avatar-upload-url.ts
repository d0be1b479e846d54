import { randomUUID } from 'node:crypto';
import { IMAGE_TYPES } from '../../shared/assets/repository.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { avatarInboxKey } from '../../shared/storage/keys.ts';
import { presignUpload } from '../../shared/storage/s3.ts';
import { setPendingAvatar } from '../../shared/users/repository.ts';
import type { Routes } from '../routes.ts';

/**
 * A presigned PUT into the avatar inbox; the upload pipeline checks the image, makes the square
 * 512 and 128 px JPEGs and replaces the old avatar. A newer request supersedes an older one.
 */
export const createAvatarUploadUrl: RouteHandler<Routes['createAvatarUploadUrl']> = async ({
  body,
  user,
}) => {
  const id = randomUUID();
  const upload = await presignUpload(
    avatarInboxKey(user.id, id, IMAGE_TYPES[body.content_type]),
    body.content_type,
    body.size_bytes,
  );
  await setPendingAvatar(getDb(), user.id, id);
  return {
    avatar_id: id,
    upload_url: upload.url,
    expires_at: upload.expiresAt.toISOString(),
    method: 'PUT' as const,
    headers: { 'content-type': body.content_type },
  };
};
