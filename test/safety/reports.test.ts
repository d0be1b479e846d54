import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '../../shared/config/env.ts';
import { getDb } from '../../shared/db/client.ts';
import { postComments } from '../harness/consistent-writes.ts';
import { useApi } from '../harness/http.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { seedReadyVideos } from '../harness/seed.ts';
import { createUser, MISSING_ID, type QuickUser } from '../social/fixtures.ts';

useLocalMedia();
const api = useApi();

const report = (by: QuickUser, body: unknown) =>
  api.request('POST', '/v1/reports', { token: by.accessToken, body });

afterEach(() => {
  delete process.env.REPORTS_PER_HOUR;
  resetEnvCache();
});

describe('POST /v1/reports', () => {
  it('files a report on a video, a comment or a person; a repeat while open answers the same report', async () => {
    const [owner, reporter] = [await createUser(), await createUser()];
    const [video] = await seedReadyVideos(owner.id, 1);
    await postComments(video!, owner.id, ['spam spam spam']);
    const comment = await getDb()
      .selectFrom('comments')
      .select('id')
      .where('video_id', '=', video!)
      .executeTakeFirstOrThrow();

    const first = await report(reporter, {
      target_type: 'video',
      target_id: video,
      reason: 'impersonation_or_deepfake',
      note: '  that is my face \n',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      target_type: 'video',
      target_id: video,
      reason: 'impersonation_or_deepfake',
      note: 'that is my face',
      status: 'open',
    });
    const again = await report(reporter, { target_type: 'video', target_id: video, reason: 'spam' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(
      (await report(reporter, { target_type: 'comment', target_id: comment.id, reason: 'spam' })).status,
    ).toBe(201);
    expect(
      (await report(reporter, { target_type: 'user', target_id: owner.id, reason: 'harassment' })).status,
    ).toBe(201);
    const rows = await getDb()
      .selectFrom('reports')
      .select('target_type')
      .where('reporter_id', '=', reporter.id)
      .execute();
    expect(rows.map((r) => r.target_type).sort()).toEqual(['comment', 'user', 'video']);

    // Concurrent repeats still make one report.
    const other = await createUser();
    const burst = await Promise.all(
      Array.from({ length: 6 }, () =>
        report(other, { target_type: 'video', target_id: video, reason: 'spam' }),
      ),
    );
    expect(new Set(burst.map((r) => r.body.id)).size).toBe(1);
    expect(burst.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('refuses self-reports, unknown or invisible targets, unknown reasons and bad notes', async () => {
    const [me, other] = [await createUser(), await createUser()];
    const [mine] = await seedReadyVideos(me.id, 1);
    const [privateVideo] = await seedReadyVideos(other.id, 1, { visibility: 'private' });
    await postComments(mine!, me.id, ['mine']);
    const myComment = await getDb()
      .selectFrom('comments')
      .select('id')
      .where('video_id', '=', mine!)
      .executeTakeFirstOrThrow();
    for (const [type, id] of [
      ['user', me.id],
      ['video', mine],
      ['comment', myComment.id],
    ] as const) {
      const res = await report(me, { target_type: type, target_id: id, reason: 'spam' });
      expect(res.status, type).toBe(400);
      expect(res.body.error.code).toBe('cannot_report_self');
    }
    expect((await report(me, { target_type: 'video', target_id: privateVideo, reason: 'spam' })).status).toBe(
      404,
    );
    expect((await report(me, { target_type: 'user', target_id: MISSING_ID, reason: 'spam' })).status).toBe(
      404,
    );
    expect((await report(me, { target_type: 'comment', target_id: MISSING_ID, reason: 'spam' })).status).toBe(
      404,
    );
    const bad = [
      { target_type: 'video', target_id: mine, reason: 'ugly' },
      { target_type: 'playlist', target_id: mine, reason: 'spam' },
      { target_type: 'user', target_id: other.id, reason: 'spam', note: 'x'.repeat(501) },
      { target_type: 'user', target_id: other.id, reason: 'spam', note: 'bell\u0007' },
      { target_type: 'user', target_id: other.id, reason: 'spam', extra: 1 },
    ];
    for (const body of bad) expect((await report(me, body)).body.error.code).toBe('validation_failed');
    const valid = { target_type: 'user', target_id: other.id, reason: 'spam' };
    expect((await api.request('POST', '/v1/reports', { body: valid })).status).toBe(401);
    expect(
      await getDb().selectFrom('reports').select('id').where('reporter_id', '=', me.id).execute(),
    ).toEqual([]);
  });

  it('limits new reports per account per hour (REPORTS_PER_HOUR); repeats are free', async () => {
    process.env.REPORTS_PER_HOUR = '3';
    resetEnvCache();
    const reporter = await createUser();
    const targets = [await createUser(), await createUser(), await createUser(), await createUser()];
    for (const t of targets.slice(0, 3)) {
      expect((await report(reporter, { target_type: 'user', target_id: t.id, reason: 'spam' })).status).toBe(
        201,
      );
    }
    const over = await report(reporter, { target_type: 'user', target_id: targets[3]!.id, reason: 'spam' });
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('too_many_requests');
    expect(over.headers.get('retry-after')).toBe('3600');
    // A repeat of an open report is not a new one.
    expect(
      (await report(reporter, { target_type: 'user', target_id: targets[0]!.id, reason: 'spam' })).status,
    ).toBe(200);
    const count = await getDb()
      .selectFrom('reports')
      .select('id')
      .where('reporter_id', '=', reporter.id)
      .execute();
    expect(count).toHaveLength(3);
  });
});
