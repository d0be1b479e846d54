import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getDb } from '../../shared/db/client.ts';
import { extractFrame } from '../../shared/media/index.ts';
import type { TestUser } from './factories.ts';
import type { Api } from './http.ts';
import { makeTempDir, makeTestVideo } from './media.ts';
import type { LocalMedia } from './media-stack.ts';
import { putToUploadUrl, uploadVideo } from './videos.ts';

let jpeg: Promise<Uint8Array> | undefined;

/** A real JPEG (a frame of a generated clip), made once per process. */
export function testJpeg(): Promise<Uint8Array> {
  jpeg ??= (async () => {
    const video = await makeTestVideo({ seconds: 1, width: 320, height: 240 });
    const out = join(makeTempDir(), 'character.jpg');
    await extractFrame(video, { atMs: 200, outPath: out, maxWidth: 320 });
    return new Uint8Array(await readFile(out));
  })();
  return jpeg;
}

/** Uploads a character image the way a client would and returns its asset id. */
export async function uploadCharacterImage(api: Api, user: TestUser): Promise<string> {
  const bytes = await testJpeg();
  const res = await api.request('POST', '/v1/ai/character-images/upload-url', {
    token: user.accessToken,
    body: { content_type: 'image/jpeg', size_bytes: bytes.length },
  });
  if (res.status !== 201) throw new Error(`character upload-url failed: ${res.status} ${res.text}`);
  const status = await putToUploadUrl(res.body.upload_url, bytes, 'image/jpeg');
  if (status !== 200) throw new Error(`character PUT failed: ${status}`);
  return res.body.asset_id;
}

/** Selects a range of a video in the studio and returns the selection id. */
export async function selectRange(api: Api, user: TestUser, videoId: string, startMs: number, endMs: number) {
  const res = await api.request('POST', `/v1/studio/videos/${videoId}/select-range`, {
    token: user.accessToken,
    body: { start_ms: startMs, end_ms: endMs },
  });
  if (res.status !== 201) throw new Error(`select-range failed: ${res.status} ${res.text}`);
  return res.body.selection_id as string;
}

/** Sets a balance the honest way: an adjustment entry in the ledger, so the invariant holds. */
export async function setCredits(userId: string, credits: number): Promise<void> {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const user = await trx
        .selectFrom('users')
        .select('credits')
        .where('id', '=', userId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const delta = credits - user.credits;
      if (delta === 0) return;
      await trx.updateTable('users').set({ credits }).where('id', '=', userId).execute();
      await trx
        .insertInto('credit_ledger')
        .values({
          user_id: userId,
          amount: delta,
          reason: 'adjustment',
          idempotency_key: `test-adjust:${userId}:${Date.now()}:${Math.random()}`,
          balance_after: credits,
        })
        .execute();
    });
}

/** The invariant: the ledger of a user sums to their balance. */
export async function ledgerMatchesBalance(userId: string): Promise<{ balance: number; ledger: number }> {
  const db = getDb();
  const user = await db
    .selectFrom('users')
    .select('credits')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const sum = await db
    .selectFrom('credit_ledger')
    .select((eb) => eb.fn.sum<number>('amount').as('total'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { balance: user.credits, ledger: Number(sum.total) };
}

/**
 * The whole client side of a glitch: `creator` uploads a short clip, `remixer` selects 2.5 s of it,
 * uploads a character image and asks for an animate glitch. Returns the queued job's id.
 */
export async function startGlitch(api: Api, media: LocalMedia, creator: TestUser, remixer: TestUser) {
  const sourceId = await uploadVideo(
    api,
    media,
    creator,
    await makeTestVideo({ seconds: 4, width: 320, height: 180 }),
  );
  const selectionId = await selectRange(api, remixer, sourceId, 500, 3000);
  const characterId = await uploadCharacterImage(api, remixer);
  const created = await api.request('POST', '/v1/ai/glitch/animate', {
    token: remixer.accessToken,
    body: { source_video_id: sourceId, selection_id: selectionId, character_image_id: characterId },
  });
  if (created.status !== 202) throw new Error(`glitch failed: ${created.status} ${created.text}`);
  return created.body.id as string;
}
