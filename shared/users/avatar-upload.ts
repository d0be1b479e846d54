import { join } from 'node:path';
import { IMAGE_TYPES, MAX_IMAGE_BYTES } from '../assets/repository.ts';
import type { Db } from '../db/client.ts';
import { logger } from '../logging/logger.ts';
import {
  MAX_IMAGE_PIXELS,
  MAX_IMAGE_SIDE,
  makeSquareJpegs,
  probeImage,
  sniffImage,
} from '../media/square-image.ts';
import { invalidateCdnPaths } from '../storage/cdn.ts';
import {
  AVATAR_INBOX_PREFIX,
  AVATAR_SIZES,
  avatarKey,
  avatarSmallKey,
  retiredAvatarCdnPaths,
} from '../storage/keys.ts';
import { withLocalCopy } from '../storage/local-copy.ts';
import { deleteObjects, headObject, IMMUTABLE_CACHE_CONTROL, uploadFile } from '../storage/s3.ts';
import { clearPendingAvatar, findPendingAvatar, installAvatar } from './repository.ts';

export type AvatarOutcome = 'installed' | 'rejected' | 'ignored';

/** `avatars/inbox/<user>/<avatar id>.<ext>` → its parts, or undefined for any other key. */
function parseInboxKey(key: string) {
  const m = new RegExp(`^${AVATAR_INBOX_PREFIX}([0-9a-f-]{36})/([0-9a-f-]{36})\\.(jpg|png|webp)$`).exec(key);
  return m ? { userId: m[1]!, avatarId: m[2]!, ext: m[3]! } : undefined;
}

/**
 * One uploaded avatar: the same checks as other images (declared type and ≤ 10 MB, then the
 * bytes' real type, and a pixel limit against decompression bombs), then square 512 and 128 px
 * JPEGs under `media/avatars/<user>/<id>/` (public and immutable: the CDN serves them like other
 * public media), installed if it is still the upload asked for last. The old avatar's objects and
 * the upload itself are deleted, and the old avatar's CDN path invalidated. Idempotent: a repeated event finds
 * the upload gone or superseded.
 */
export async function processAvatarUpload(db: Db, key: string): Promise<AvatarOutcome> {
  const parsed = parseInboxKey(key);
  if (!parsed) {
    await deleteObjects([key]);
    return 'ignored';
  }
  const { userId, avatarId, ext } = parsed;
  const pending = await findPendingAvatar(db, userId);
  if (pending?.pending_avatar_id !== avatarId) {
    await deleteObjects([key]);
    return 'ignored';
  }
  const reject = async (reason: string) => {
    logger.info('avatar rejected', { user_id: userId, avatar_id: avatarId, reason });
    await clearPendingAvatar(db, userId, avatarId);
    await deleteObjects([key]);
    return 'rejected' as const;
  };
  const head = await headObject(key);
  if (!head) return 'ignored';
  const declared = (head.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const expectedExt = IMAGE_TYPES[declared as keyof typeof IMAGE_TYPES];
  if (expectedExt !== ext) return reject('content_type_mismatch');
  if (head.size === 0 || head.size > MAX_IMAGE_BYTES) return reject('size');

  return withLocalCopy(key, async (input, dir) => {
    if ((await sniffImage(input)) !== declared) return reject('not_the_declared_image_type');
    const dims = await probeImage(input);
    if (!dims) return reject('unreadable');
    if (dims.width * dims.height > MAX_IMAGE_PIXELS || Math.max(dims.width, dims.height) > MAX_IMAGE_SIDE) {
      return reject('too_many_pixels');
    }
    const files = await makeSquareJpegs(input, dir, [AVATAR_SIZES.large, AVATAR_SIZES.small]).catch(
      () => undefined,
    );
    if (!files) return reject('unreadable');
    const large = avatarKey(userId, avatarId, AVATAR_SIZES.large);
    await uploadFile(
      large,
      files.get(AVATAR_SIZES.large) ?? join(dir, 'missing'),
      'image/jpeg',
      IMMUTABLE_CACHE_CONTROL,
    );
    await uploadFile(
      avatarKey(userId, avatarId, AVATAR_SIZES.small),
      files.get(AVATAR_SIZES.small)!,
      'image/jpeg',
      IMMUTABLE_CACHE_CONTROL,
    );
    const installed = await installAvatar(db, userId, avatarId, large);
    // Superseded meanwhile: this upload's images are not used.
    const unused = installed ? installed.previous : large;
    await deleteObjects([key, ...(unused ? [unused, avatarSmallKey(unused)] : [])]);
    // A replaced avatar was public at the CDN: it stops being served there too.
    if (installed?.previous) await invalidateCdnPaths(retiredAvatarCdnPaths(installed.previous));
    return installed ? 'installed' : 'ignored';
  });
}
