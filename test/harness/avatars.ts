import { expect } from 'vitest';
import type { Api } from './http.ts';
import type { LocalMedia } from './media-stack.ts';
import { putToUploadUrl } from './videos.ts';

/** An avatar through the real path: the presigned PUT into avatars/inbox/, then process-upload. */
export async function uploadAvatar(
  api: Api,
  media: LocalMedia,
  token: string,
  bytes: Uint8Array,
  contentType = 'image/jpeg',
  putType = contentType,
): Promise<string> {
  const res = await api.request('POST', '/v1/account/avatar/upload-url', {
    token,
    body: { content_type: contentType, size_bytes: bytes.length },
  });
  expect(res.status).toBe(201);
  expect(new URL(res.body.upload_url).pathname).toContain('/avatars/inbox/');
  expect(await putToUploadUrl(res.body.upload_url, bytes, putType)).toBe(200);
  await media.invoker.idle();
  return res.body.avatar_id as string;
}
