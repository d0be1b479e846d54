import * as z from 'zod';

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
    // Avatars arrive with the media issue's presigned uploads; until then there is no URL to give.
    avatar_url: null,
    follower_count: row.follower_count,
    following_count: row.following_count,
    video_count: row.video_count,
  };
}
