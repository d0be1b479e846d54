import type { z } from 'zod';
import { mediaUrl } from '../../shared/storage/s3.ts';
import type { StudioSelection as SelectionRow } from '../../shared/studio/selections.ts';
import { signedUrlsExpireAt } from '../../shared/studio/url-expiry.ts';
import type { StudioSelection } from './schemas.ts';

export async function toSelectionView(row: SelectionRow): Promise<z.input<typeof StudioSelection>> {
  const expiresAt = signedUrlsExpireAt();
  return {
    selection_id: row.id,
    video_id: row.video_id,
    start_ms: row.start_ms,
    end_ms: row.end_ms,
    duration_ms: row.end_ms - row.start_ms,
    clip_url: await mediaUrl(row.clip_key),
    expires_at: expiresAt,
  };
}
