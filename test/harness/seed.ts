import { randomUUID } from 'node:crypto';
import { getDb } from '../../shared/db/client.ts';

/**
 * Inserts ready videos straight into the database, for tests about listing and social
 * features (the upload pipeline itself is tested through S3 events in upload-pipeline.test.ts).
 */
export async function seedReadyVideos(
  ownerId: string,
  count: number,
  opts: {
    visibility?: 'public' | 'private';
    caption?: (i: number) => string;
    createdAt?: (i: number) => Date;
  } = {},
) {
  const rows = Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    return {
      id,
      owner_id: ownerId,
      status: 'ready' as const,
      visibility: opts.visibility ?? ('public' as const),
      caption: opts.caption?.(i) ?? `seeded ${i}`,
      source_key: `uploads/${ownerId}/${id}.mp4`,
      thumbnail_key: `thumbnails/${id}.jpg`,
      content_type: 'video/mp4',
      duration_ms: 3000,
      width: 720,
      height: 1280,
      ...(opts.createdAt ? { created_at: opts.createdAt(i) } : {}),
    };
  });
  if (!rows.length) return [];
  // One transaction: the owner's video_count never disagrees with the rows (whole-database invariants).
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await trx.insertInto('videos').values(rows).execute();
      await trx
        .updateTable('users')
        .set((eb) => ({ video_count: eb('video_count', '+', count) }))
        .where('id', '=', ownerId)
        .execute();
    });
  return rows.map((r) => r.id);
}
