import { sql } from 'kysely';
import * as z from 'zod';
import type { DbOrTrx } from '../db/client.ts';
import { mediaUrl } from '../storage/s3.ts';
import { PublicUser, toPublicUser } from '../users/public-user.ts';
import type { UserSummary } from '../videos/schemas.ts';

/** A public profile as the caller sees it: whether they follow this person (null logged out). */
export const UserView = PublicUser.extend({ followed_by_me: z.boolean().nullable() }).meta({
  id: 'UserView',
});

export const UserPage = z
  .object({ items: z.array(UserView), next_cursor: z.string().nullable() })
  .meta({ id: 'UserPage' });

/**
 * Public user columns plus `followed_by_me`, in one query whatever the page size. Callers
 * add the filter, join and order (profile, follower lists, search).
 */
export function selectUserViews(db: DbOrTrx, viewerId: string | null) {
  return db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.bio',
      'u.avatar_key',
      'u.follower_count',
      'u.following_count',
      'u.video_count',
    ])
    .select((eb) =>
      viewerId
        ? eb
            .exists(
              eb
                .selectFrom('follows as mf')
                .select(sql`1`.as('one'))
                .where('mf.follower_id', '=', viewerId)
                .whereRef('mf.followee_id', '=', 'u.id'),
            )
            .as('followed_by_me')
        : sql<boolean | null>`NULL`.as('followed_by_me'),
    );
}

type UserViewRow = Parameters<typeof toPublicUser>[0] & { followed_by_me: unknown };

export function toUserView(row: UserViewRow): z.input<typeof UserView> {
  return {
    ...toPublicUser(row),
    followed_by_me: row.followed_by_me === null ? null : Boolean(row.followed_by_me),
  };
}

/** The small author/actor card shown next to comments and notifications. */
export async function toUserSummary(row: {
  id: string;
  username: string;
  display_name: string;
  avatar_key: string | null;
}): Promise<z.input<typeof UserSummary>> {
  return {
    id: row.id,
    username: row.username,
    display_name: row.display_name,
    avatar_url: row.avatar_key ? await mediaUrl(row.avatar_key) : null,
  };
}
