import { startSession } from '../../shared/auth/sessions.ts';
import { getDb } from '../../shared/db/client.ts';
import { uniqueSuffix } from '../harness/factories.ts';

export interface QuickUser {
  id: string;
  username: string;
  accessToken: string;
}

/**
 * Many accounts at once, straight into the database with tokens minted for them (registering
 * through the API would spend a bcrypt hash on each). Not usable for logging in.
 */
export async function createUsers(
  count: number,
  opts: { displayName?: (i: number) => string; username?: (i: number) => string } = {},
): Promise<QuickUser[]> {
  const suffix = uniqueSuffix();
  // Unverified accounts with 0 credits and no ledger rows, as registration leaves them (sum(ledger) = credits).
  const rows = await getDb()
    .insertInto('users')
    .values(
      Array.from({ length: count }, (_, i) => {
        const username = opts.username?.(i) ?? `q_${suffix}_${i}`;
        return {
          email: `${username.toLowerCase()}@example.test`,
          username,
          password_hash: 'not-a-real-hash',
          display_name: opts.displayName?.(i) ?? username,
        };
      }),
    )
    .returning(['id', 'username'])
    .execute();
  // A real session each: access tokens only work while their session lives.
  return Promise.all(
    rows.map(async (r) => ({ ...r, accessToken: (await startSession(getDb(), r.id)).access_token })),
  );
}

export async function createUser(opts: { displayName?: string; username?: string } = {}): Promise<QuickUser> {
  const [user] = await createUsers(1, {
    displayName: opts.displayName ? () => opts.displayName! : undefined,
    username: opts.username ? () => opts.username! : undefined,
  });
  return user!;
}

/** The video's counters next to what its rows say they should be. */
export async function videoCounts(videoId: string) {
  const db = getDb();
  const video = await db
    .selectFrom('videos')
    .select(['like_count', 'comment_count'])
    .where('id', '=', videoId)
    .executeTakeFirstOrThrow();
  const likes = await db
    .selectFrom('likes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('video_id', '=', videoId)
    .executeTakeFirstOrThrow();
  const comments = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('video_id', '=', videoId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    like_count: video.like_count,
    likes_rows: likes.n,
    comment_count: video.comment_count,
    comment_rows: comments.n,
  };
}

/** A user's follow counters next to the follows rows. */
export async function followCounts(userId: string) {
  const db = getDb();
  const user = await db
    .selectFrom('users')
    .select(['follower_count', 'following_count'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const followers = await db
    .selectFrom('follows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('followee_id', '=', userId)
    .executeTakeFirstOrThrow();
  const following = await db
    .selectFrom('follows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('follower_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { ...user, follower_rows: followers.n, following_rows: following.n };
}

export function notificationsOf(recipientId: string) {
  return getDb()
    .selectFrom('notifications')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .orderBy('created_at')
    .execute();
}

export const MISSING_ID = '6f1c0b57-8a2e-4a38-a6a5-0d6b3a1c9e11';

/** Random Hangul syllables: a search term no other test's data contains. */
export function hangulToken(length = 4): string {
  return Array.from({ length }, () => String.fromCharCode(0xac00 + Math.floor(Math.random() * 11172))).join(
    '',
  );
}
