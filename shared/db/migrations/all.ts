import type { Migration } from 'kysely';
import * as m0001 from './20261126T0001_users_and_auth.ts';
import * as m0002 from './20261126T0002_videos.ts';
import * as m0003 from './20261126T0003_ai_and_credits.ts';
import * as m0004 from './20261126T0004_social.ts';
import * as m0005 from './20261126T0005_social_search.ts';
import * as m0006 from './20261126T0006_ai_dispatch.ts';
import * as m0007 from './20261127T0007_videos_owner_feed_idx.ts';
import * as m1100 from './20261130T1100_media_revisions.ts';
import * as m1200 from './20261130T1200_app_role.ts';
import * as m1201 from './20261130T1201_rate_limits.ts';
import * as m1400 from './20261130T1400_accounts.ts';
import * as m1500 from './20261130T1500_realtime_and_push.ts';
import * as m1600 from './20261130T1600_studio_soundtracks_previews.ts';
import * as m1700 from './20261130T1700_safety.ts';
import * as m1800 from './20261130T1800_comment_counts_follow_takedowns.ts';
import * as m2100 from './20261130T2100_frames_by_source_video.ts';
import * as m2200 from './20261130T2200_moderation_live_events.ts';
import * as m1201_0100 from './20261201T0100_comments_by_author.ts';

/**
 * Every migration imported by name (FileMigrationProvider's import of computed file paths breaks
 * under vitest and inside an esbuild bundle; this works in both).
 * Add a migration: create the timestamped file and list it here.
 */
export const migrations: Record<string, Migration> = {
  '20261126T0001_users_and_auth': m0001,
  '20261126T0002_videos': m0002,
  '20261126T0003_ai_and_credits': m0003,
  '20261126T0004_social': m0004,
  '20261126T0005_social_search': m0005,
  '20261126T0006_ai_dispatch': m0006,
  '20261127T0007_videos_owner_feed_idx': m0007,
  '20261130T1100_media_revisions': m1100,
  '20261130T1200_app_role': m1200,
  '20261130T1201_rate_limits': m1201,
  '20261130T1400_accounts': m1400,
  '20261130T1500_realtime_and_push': m1500,
  '20261130T1600_studio_soundtracks_previews': m1600,
  '20261130T1700_safety': m1700,
  '20261130T1800_comment_counts_follow_takedowns': m1800,
  '20261130T2100_frames_by_source_video': m2100,
  '20261130T2200_moderation_live_events': m2200,
  '20261201T0100_comments_by_author': m1201_0100,
};
