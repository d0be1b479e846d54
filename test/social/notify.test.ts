import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '../../shared/db/client.ts';
import { createNotification, withdrawUnreadNotification } from '../../shared/notifications/repository.ts';
import { seedReadyVideos } from '../harness/seed.ts';
import { createUser, notificationsOf } from './fixtures.ts';

afterAll(() => closeDb());

/** createNotification is what other domains (the AI webhook's glitch) call inside their transactions. */
describe('createNotification', () => {
  it('never notifies you of your own action', async () => {
    const me = await createUser();
    await createNotification(getDb(), { recipientId: me.id, actorId: me.id, type: 'follow' });
    expect(await notificationsOf(me.id)).toEqual([]);
  });

  it('keeps one unread like per actor and video, and one unread follow per actor', async () => {
    const owner = await createUser();
    const fan = await createUser();
    const [a, b] = await seedReadyVideos(owner.id, 2);
    const like = (videoId: string) =>
      createNotification(getDb(), { recipientId: owner.id, actorId: fan.id, type: 'like', videoId });
    const follow = () =>
      createNotification(getDb(), { recipientId: owner.id, actorId: fan.id, type: 'follow' });
    await Promise.all([like(a!), like(a!), like(a!), like(b!), follow(), follow()]);
    const rows = await notificationsOf(owner.id);
    expect(rows.map((n) => [n.type, n.video_id]).sort()).toEqual(
      [
        ['follow', null],
        ['like', a],
        ['like', b],
      ].sort(),
    );
    // Once read, the next like is news again.
    await getDb()
      .updateTable('notifications')
      .set({ read_at: new Date() })
      .where('recipient_id', '=', owner.id)
      .execute();
    await like(a!);
    await follow();
    expect(await notificationsOf(owner.id)).toHaveLength(5);
    await withdrawUnreadNotification(getDb(), {
      type: 'like',
      recipientId: owner.id,
      actorId: fan.id,
      videoId: a!,
    });
    await withdrawUnreadNotification(getDb(), { type: 'follow', recipientId: owner.id, actorId: fan.id });
    expect((await notificationsOf(owner.id)).filter((n) => n.read_at === null)).toEqual([]);
    expect(await notificationsOf(owner.id)).toHaveLength(3);
  });

  it('records every comment and glitch, inside the caller’s transaction', async () => {
    const owner = await createUser();
    const fan = await createUser();
    const [video, glitch] = await seedReadyVideos(owner.id, 2);
    await getDb()
      .transaction()
      .execute(async (trx) => {
        await createNotification(trx, {
          recipientId: owner.id,
          actorId: fan.id,
          type: 'glitch',
          videoId: glitch,
        });
        await createNotification(trx, {
          recipientId: owner.id,
          actorId: fan.id,
          type: 'glitch',
          videoId: video,
        });
      });
    await getDb()
      .transaction()
      .execute(async (trx) => {
        await createNotification(trx, {
          recipientId: owner.id,
          actorId: fan.id,
          type: 'glitch',
          videoId: video,
        });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect((await notificationsOf(owner.id)).map((n) => n.type)).toEqual(['glitch', 'glitch']);
  });
});
