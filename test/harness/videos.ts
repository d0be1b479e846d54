import { readFile } from 'node:fs/promises';
import type { TestUser } from './factories.ts';
import type { Api } from './http.ts';
import type { LocalMedia } from './media-stack.ts';

/** PUTs bytes to a presigned URL the way a client would. */
export async function putToUploadUrl(url: string, bytes: Uint8Array, contentType: string): Promise<number> {
  const res = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': contentType } });
  await res.arrayBuffer();
  return res.status;
}

/**
 * The whole client path: ask for an upload URL, PUT the file, wait for the S3 event's
 * upload processing to finish. Returns the video id.
 */
export async function uploadVideo(
  api: Api,
  media: LocalMedia,
  user: TestUser,
  file: string,
  opts: {
    contentType?: string;
    putContentType?: string;
    declaredSize?: number;
    caption?: string;
    visibility?: 'public' | 'private';
  } = {},
): Promise<string> {
  const bytes = await readFile(file);
  const contentType = opts.contentType ?? 'video/mp4';
  const res = await api.request('POST', '/v1/videos/upload-url', {
    token: user.accessToken,
    body: {
      content_type: contentType,
      size_bytes: opts.declaredSize ?? bytes.length,
      ...(opts.caption !== undefined ? { caption: opts.caption } : {}),
      ...(opts.visibility ? { visibility: opts.visibility } : {}),
    },
  });
  if (res.status !== 201) throw new Error(`upload-url failed: ${res.status} ${res.text}`);
  const status = await putToUploadUrl(res.body.upload_url, bytes, opts.putContentType ?? contentType);
  if (status !== 200) throw new Error(`PUT failed: ${status}`);
  await media.invoker.idle();
  return res.body.video_id;
}
