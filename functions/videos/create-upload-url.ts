import { randomUUID } from 'node:crypto';
import { getDb } from '../../shared/db/client.ts';
import { syncVideoHashtags } from '../../shared/hashtags/repository.ts';
import { TooManyRequestsError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { videoUploadKey } from '../../shared/storage/keys.ts';
import { mediaUrl } from '../../shared/storage/media-url.ts';
import { presignUpload } from '../../shared/storage/s3.ts';
import { countRecentPendingUploads, insertVideo } from '../../shared/videos/repository.ts';
import type { Routes } from '../routes.ts';

/** Unfinished uploads a person may have open in an hour (keeps abandoned rows bounded). */
const MAX_PENDING_UPLOADS = 20;

export const createUploadUrl: RouteHandler<Routes['createUploadUrl']> = async ({ body, user }) => {
  const db = getDb();
  const { n } = await countRecentPendingUploads(db, user.id);
  if (n >= MAX_PENDING_UPLOADS) {
    throw new TooManyRequestsError('Too many unfinished uploads; finish or wait before starting another', 60);
  }
  const videoId = randomUUID();
  const key = videoUploadKey(user.id, videoId, body.content_type);
  // Sign first: if signing fails nothing is written.
  const upload = await presignUpload(key, body.content_type, body.size_bytes);
  const caption = body.caption ?? '';
  // The row and its hashtag links commit together.
  await db.transaction().execute(async (trx) => {
    await insertVideo(trx, {
      id: videoId,
      owner_id: user.id,
      source_key: key,
      content_type: body.content_type,
      declared_size_bytes: body.size_bytes,
      caption,
      visibility: body.visibility ?? 'public',
    });
    await syncVideoHashtags(trx, videoId, caption);
  });
  return {
    video_id: videoId,
    upload_url: upload.url,
    file_key: key,
    // Where the video will play from once processed (the seed's `file_url`); a CDN URL when one
    // is configured, otherwise a presigned GET that works once the upload exists.
    file_url: await mediaUrl(key),
    expires_at: upload.expiresAt.toISOString(),
    method: 'PUT' as const,
    headers: { 'content-type': body.content_type },
  };
};
