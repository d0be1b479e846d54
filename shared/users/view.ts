import * as z from 'zod';
import type { User } from '../db/schema.ts';
import { mediaUrl } from '../storage/media-url.ts';

/** What anyone may see about a person: never email, password hash or credits. */
export const PublicUser = z
  .object({
    id: z.string(),
    username: z.string(),
    display_name: z.string(),
    bio: z.string(),
    avatar_url: z.string().nullable(),
    follower_count: z.number().int(),
    following_count: z.number().int(),
    video_count: z.number().int(),
  })
  .meta({ id: 'PublicUser' });

/** The caller's own account: adds what only they may see. */
export const Me = PublicUser.extend({
  email: z.string(),
  credits: z.number().int(),
  created_at: z.string(),
}).meta({ id: 'Me' });

/** A public profile as the caller sees it: whether they follow this person (null logged out). */
export const UserView = PublicUser.extend({ followed_by_me: z.boolean().nullable() }).meta({
  id: 'UserView',
});

export const UserPage = z
  .object({ items: z.array(UserView), next_cursor: z.string().nullable() })
  .meta({ id: 'UserPage' });

/** The small author/owner/actor card shown next to videos, comments and notifications. */
export const UserSummary = z
  .object({
    id: z.string(),
    username: z.string(),
    display_name: z.string(),
    avatar_url: z.string().nullable(),
  })
  .meta({ id: 'UserSummary' });

export type PublicUserRow = {
  id: string;
  username: string;
  display_name: string;
  bio: string;
  avatar_key: string | null;
  follower_count: number;
  following_count: number;
  video_count: number;
};

export function toPublicUser(row: PublicUserRow): z.input<typeof PublicUser> {
  return {
    id: row.id,
    username: row.username,
    display_name: row.display_name,
    bio: row.bio,
    // Profiles have no avatar until avatar uploads exist (nothing sets avatar_key yet); the
    // summary cards below already sign one when it is there.
    avatar_url: null,
    follower_count: row.follower_count,
    following_count: row.following_count,
    video_count: row.video_count,
  };
}

export function toMe(user: User): z.input<typeof Me> {
  return {
    ...toPublicUser(user),
    email: user.email,
    credits: user.credits,
    created_at: user.created_at.toISOString(),
  };
}

type UserViewRow = PublicUserRow & { followed_by_me: unknown };

export function toUserView(row: UserViewRow): z.input<typeof UserView> {
  return {
    ...toPublicUser(row),
    followed_by_me: row.followed_by_me === null ? null : Boolean(row.followed_by_me),
  };
}

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
