import * as z from 'zod/mini';
import type { User } from '../db/schema.ts';
import { EX } from '../http/examples.ts';
import { avatarSmallKey } from '../storage/keys.ts';
import { mediaUrl } from '../storage/media-url.ts';

export const USER_SUMMARY_EXAMPLE = {
  id: EX.userId,
  username: 'trickster',
  display_name: 'Trickster',
  // Cards show the 128 px avatar, profiles the 512 px one (shared/storage/keys.ts).
  avatar_url: EX.cdn(`media/avatars/${EX.userId}/${EX.avatarId}/128.jpg`),
};

function PUBLIC_USER_EXAMPLE() {
  return {
    ...USER_SUMMARY_EXAMPLE,
    avatar_url: EX.cdn(`media/avatars/${EX.userId}/${EX.avatarId}/512.jpg`),
    bio: 'Glitching my cat since 2026 #lokiz',
    follower_count: 128,
    following_count: 42,
    video_count: 7,
  };
}

export const ME_EXAMPLE = {
  ...PUBLIC_USER_EXAMPLE(),
  email: 'trickster@example.com',
  email_verified: true,
  locale: 'en' as const,
  credits: 70,
  created_at: EX.time,
};

/** What anyone may see about a person: never email, password hash or credits. */
export const PublicUser = z
  .object({
    id: z.string(),
    username: z.string(),
    display_name: z.string(),
    bio: z.string(),
    avatar_url: z.nullable(z.string()),
    follower_count: z.number().check(z.int()),
    following_count: z.number().check(z.int()),
    video_count: z.number().check(z.int()),
  })
  .register(z.globalRegistry, { id: 'PublicUser', examples: [PUBLIC_USER_EXAMPLE()] });

/** The caller's own account: adds what only they may see. */
export const Me = z
  .extend(PublicUser, {
    email: z.string(),
    /** Credits (the 100 sign-up credits included) unlock once the email is verified. */
    email_verified: z.boolean(),
    /** The language of mail: `en` or `ko` (from Accept-Language at sign-up; changeable). */
    locale: z.enum(['en', 'ko']),
    credits: z.number().check(z.int()),
    created_at: z.string(),
  })
  .register(z.globalRegistry, { id: 'Me', examples: [ME_EXAMPLE] });

/** A public profile as the caller sees it: whether they follow this person (null logged out). */
export const UserView = z
  .extend(PublicUser, { followed_by_me: z.nullable(z.boolean()) })
  .register(z.globalRegistry, {
    id: 'UserView',
    examples: [{ ...PUBLIC_USER_EXAMPLE(), followed_by_me: true }],
  });

export const UserPage = z
  .object({ items: z.array(UserView), next_cursor: z.nullable(z.string()) })
  .register(z.globalRegistry, { id: 'UserPage' });

/** The small author/owner/actor card shown next to videos, comments and notifications. */
export const UserSummary = z
  .object({
    id: z.string(),
    username: z.string(),
    display_name: z.string(),
    avatar_url: z.nullable(z.string()),
  })
  .register(z.globalRegistry, { id: 'UserSummary', examples: [USER_SUMMARY_EXAMPLE] });

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

export async function toPublicUser(row: PublicUserRow): Promise<z.input<typeof PublicUser>> {
  return {
    id: row.id,
    username: row.username,
    display_name: row.display_name,
    bio: row.bio,
    // The 512 px square; cards (UserSummary) use the small one.
    avatar_url: row.avatar_key ? await mediaUrl(row.avatar_key) : null,
    follower_count: row.follower_count,
    following_count: row.following_count,
    video_count: row.video_count,
  };
}

export async function toMe(user: User): Promise<z.input<typeof Me>> {
  return {
    ...(await toPublicUser(user)),
    email: user.email,
    email_verified: user.email_verified_at !== null,
    locale: user.locale,
    credits: user.credits,
    created_at: user.created_at.toISOString(),
  };
}

type UserViewRow = PublicUserRow & { followed_by_me: unknown };

export async function toUserView(row: UserViewRow): Promise<z.input<typeof UserView>> {
  return {
    ...(await toPublicUser(row)),
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
    avatar_url: row.avatar_key ? await mediaUrl(avatarSmallKey(row.avatar_key)) : null,
  };
}
