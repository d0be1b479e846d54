import { storageEnv } from '../storage/config.ts';

/** When URLs signed from now on expire; taken before signing, so never later than the real expiry. */
export function signedUrlsExpireAt(): string {
  return new Date(Date.now() + storageEnv().DOWNLOAD_URL_TTL_SECONDS * 1000).toISOString();
}
