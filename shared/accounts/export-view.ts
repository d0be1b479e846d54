import * as z from 'zod/mini';
import { EX } from '../http/examples.ts';
import { Timestamp } from '../http/schemas.ts';
import { mediaUrl } from '../storage/media-url.ts';

/** How long the status endpoint's download URL works (fetch a new one by asking again). */
const STATUS_URL_TTL_SECONDS = 900;

export const ExportView = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'building', 'ready', 'failed']),
    created_at: Timestamp,
    completed_at: z.nullable(Timestamp),
    size_bytes: z.nullable(z.number().check(z.int())),
    /** Until when the zip can be downloaded (7 days after it is ready). */
    expires_at: z.nullable(Timestamp),
    /** A short-lived download URL while the export is ready and not expired. */
    download_url: z.nullable(z.string()),
    error: z.nullable(z.string()),
  })
  .register(z.globalRegistry, {
    id: 'AccountExport',
    examples: [
      {
        id: EX.exportId,
        status: 'ready',
        created_at: EX.time,
        completed_at: EX.later,
        size_bytes: 48_213_774,
        expires_at: '2026-12-07T09:16:12.000Z',
        download_url: EX.signed(`exports/${EX.userId}/${EX.exportId}.zip`).replace('3600', '900'),
        error: null,
      },
    ],
  });

export async function toExportView(row: {
  id: string;
  status: 'queued' | 'building' | 'ready' | 'failed';
  created_at: Date;
  completed_at: Date | null;
  size_bytes: string | null;
  expires_at: Date | null;
  object_key: string | null;
  error: string | null;
}): Promise<z.input<typeof ExportView>> {
  const live =
    row.status === 'ready' && row.object_key && row.expires_at && row.expires_at.getTime() > Date.now();
  return {
    id: row.id,
    status: row.status,
    created_at: row.created_at,
    completed_at: row.completed_at,
    size_bytes: row.size_bytes === null ? null : Number(row.size_bytes),
    expires_at: row.expires_at,
    download_url: live ? await mediaUrl(row.object_key!, STATUS_URL_TTL_SECONDS) : null,
    error: row.error,
  };
}
