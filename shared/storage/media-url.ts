import { cdnEnv, storageEnv } from './config.ts';
import { MEDIA_PREFIX } from './keys.ts';
import { signedMediaUrl, signingWindow } from './signed-url.ts';

/**
 * The URL a client gets for a media object. Where the key lives decides it (storage/keys.ts):
 * - under media/ (public, immutable): a plain CDN URL, `${MEDIA_CDN_BASE_URL}/${key}`, built by
 *   concatenation: no SDK, no signing, the same for every caller and forever;
 * - anywhere else (private videos, studio media, assets): a presigned GET (signed-url.ts).
 */
export function publicMediaUrl(key: string): string | undefined {
  return key.startsWith(MEDIA_PREFIX) ? `${cdnEnv().MEDIA_CDN_BASE_URL}/${key}` : undefined;
}

export async function mediaUrl(key: string, ttlSeconds?: number): Promise<string> {
  return publicMediaUrl(key) ?? (await signedMediaUrl(key, ttlSeconds)).url;
}

/** When the signed URLs handed out now expire (the same instant for all of them: signed-url.ts). */
export function signedUrlsExpireAt(ttlSeconds?: number): string {
  return signingWindow(ttlSeconds ?? storageEnv().DOWNLOAD_URL_TTL_SECONDS).expiresAt.toISOString();
}
