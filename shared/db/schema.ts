import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely's view of the tables created by ./migrations. Keep both in step. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** pg returns bigint as string; we only store sizes well below 2^53. */
type BigIntColumn = ColumnType<string, number | bigint | string, number | bigint | string>;
type Json = ColumnType<unknown, string, string>;

export type VideoStatus = 'uploading' | 'processing' | 'ready' | 'failed' | 'held';
export type Role = 'user' | 'moderator' | 'admin';
export type ReportReason =
  | 'spam'
  | 'harassment'
  | 'nudity'
  | 'violence'
  | 'impersonation_or_deepfake'
  | 'copyright'
  | 'other';
export type ReportTargetType = 'video' | 'comment' | 'user';
export type ModerationAction =
  | 'take_down'
  | 'restore'
  | 'suspend'
  | 'unsuspend'
  | 'dismiss_report'
  | 'grant_role'
  | 'release_held';
export type Visibility = 'public' | 'private';
export type VideoOrigin = 'upload' | 'glitch' | 'template';
export type JobKind = 'capture_frame' | 'template' | 'glitch_animate' | 'glitch_replace' | 'music';
export type JobStatus =
  | 'queued'
  | 'starting'
  | 'processing'
  | 'succeeded'
  | 'failed'
  | 'canceled'
  | 'aborted';
export type LedgerReason = 'signup_bonus' | 'job_spend' | 'job_refund' | 'adjustment' | 'account_closed';
export type GlitchKind = 'animate' | 'replace';
export type NotificationType = 'like' | 'comment' | 'follow' | 'glitch' | 'export_ready';
export type Locale = 'en' | 'ko';
export type ExportStatus = 'queued' | 'building' | 'ready' | 'failed';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  username: string;
  password_hash: string;
  display_name: string;
  bio: Generated<string>;
  avatar_key: string | null;
  credits: Generated<number>;
  follower_count: Generated<number>;
  following_count: Generated<number>;
  video_count: Generated<number>;
  email_verified_at: Timestamp | null;
  locale: Generated<Locale>;
  username_changed_at: Timestamp | null;
  pending_avatar_id: string | null;
  deleted_at: Timestamp | null;
  purged_at: Timestamp | null;
  role: Generated<Role>;
  suspended_at: Timestamp | null;
  suspended_reason: string | null;
  default_allow_glitches: Generated<boolean>;
  default_allow_frame_capture: Generated<boolean>;
  exclude_ai: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UsernameReservationsTable {
  username_lower: string;
  user_id: string;
  reserved_until: Timestamp;
}

export interface EmailTokensTable {
  id: Generated<string>;
  user_id: string;
  purpose: 'verify_email' | 'reset_password';
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface AccountExportsTable {
  id: Generated<string>;
  user_id: string;
  status: Generated<ExportStatus>;
  object_key: string | null;
  size_bytes: BigIntColumn | null;
  download_token_hash: string | null;
  expires_at: Timestamp | null;
  error: string | null;
  created_at: CreatedAt;
  completed_at: Timestamp | null;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Timestamp;
  rotated_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface VideosTable {
  id: Generated<string>;
  owner_id: string;
  status: Generated<VideoStatus>;
  failure_reason: string | null;
  visibility: Generated<Visibility>;
  caption: Generated<string>;
  origin: Generated<VideoOrigin>;
  ai_job_id: string | null;
  /** The inbox object (uploads/) the video was made from; the served media are the keys below. */
  source_key: string;
  /** Poster of videos processed before media revisions; new ones use poster_key. */
  thumbnail_key: string | null;
  /** Last media revision handed out (20261130T1100_media_revisions). */
  media_rev: Generated<number>;
  playback_key: string | null;
  poster_key: string | null;
  preview_key: string | null;
  original_key: string | null;
  /** While a processing run holds the video (process-upload renews it). */
  processing_lease_until: Timestamp | null;
  /** The model that made a glitch or template video (20261130T1600); null for uploads. */
  ai_model: string | null;
  /** The AI music put on the video (a soundtrack): its job, model and licence. */
  music_job_id: string | null;
  music_model: string | null;
  music_licence: string | null;
  music_licence_url: string | null;
  content_type: string;
  declared_size_bytes: BigIntColumn | null;
  size_bytes: BigIntColumn | null;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
  like_count: Generated<number>;
  comment_count: Generated<number>;
  glitch_count: Generated<number>;
  allow_glitches: Generated<boolean>;
  allow_frame_capture: Generated<boolean>;
  removed_at: Timestamp | null;
  removed_reason: string | null;
  media_purged_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface VideoGlitchesTable {
  glitch_video_id: string;
  source_video_id: string;
  root_video_id: string;
  kind: GlitchKind;
  depth: number;
  created_at: CreatedAt;
}

export interface MediaAssetsTable {
  id: Generated<string>;
  owner_id: string;
  kind: 'character_image' | 'frame' | 'clip' | 'audio';
  status: Generated<'uploading' | 'ready' | 'failed'>;
  object_key: string;
  content_type: string;
  size_bytes: BigIntColumn | null;
  source_video_id: string | null;
  screening: 'passed' | 'rejected' | null;
  screening_reason: string | null;
  created_at: CreatedAt;
}

export interface StudioSelectionsTable {
  id: Generated<string>;
  user_id: string;
  video_id: string;
  start_ms: number;
  end_ms: number;
  clip_key: string;
  created_at: CreatedAt;
}

export type SoundtrackMode = 'replace' | 'mix';
export type SoundtrackStatus = 'queued' | 'processing' | 'ready' | 'failed';

export interface VideoSoundtracksTable {
  id: Generated<string>;
  user_id: string;
  video_id: string;
  music_job_id: string;
  mode: SoundtrackMode;
  music_start_ms: number;
  music_end_ms: number;
  offset_ms: number;
  music_volume: number;
  original_volume: number | null;
  fingerprint: string;
  idempotency_key: string | null;
  status: Generated<SoundtrackStatus>;
  error: string | null;
  media_rev: number | null;
  attempts: Generated<number>;
  lease_until: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  completed_at: Timestamp | null;
}

export interface StudioPreviewsTable {
  video_id: string;
  media_rev: number;
  start_ms: number;
  end_ms: number;
  status: 'making' | 'ready';
  clip_key: string;
  lease_until: Timestamp | null;
  runs: Generated<number>;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
  created_at: CreatedAt;
}

export interface AiJobsTable {
  id: Generated<string>;
  user_id: string;
  kind: JobKind;
  status: Generated<JobStatus>;
  cost: number;
  model: string;
  prediction_id: string | null;
  input: Json;
  output: Json | null;
  error: string | null;
  source_video_id: string | null;
  result_video_id: string | null;
  attempts: Generated<number>;
  dispatch_lease_until: Timestamp | null;
  selection_id: string | null;
  result_asset_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
}

export interface CreditLedgerTable {
  id: Generated<string>;
  user_id: string;
  amount: number;
  reason: LedgerReason;
  job_id: string | null;
  idempotency_key: string;
  balance_after: number;
  created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  webhook_id: string;
  prediction_id: string;
  status: string;
  received_at: CreatedAt;
}

/** Per-client counters (shared/limits/repository.ts). */
export interface RateLimitsTable {
  key: string;
  window_started_at: Date;
  hits: number;
  last_hit_at: Date;
  blocked_until: Date | null;
}

export interface LikesTable {
  user_id: string;
  video_id: string;
  created_at: CreatedAt;
}

export interface CommentsTable {
  id: Generated<string>;
  video_id: string;
  author_id: string;
  parent_id: string | null;
  body: string;
  reply_count: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
  redacted_at: Timestamp | null;
  removed_at: Timestamp | null;
  removed_reason: string | null;
}

export interface BlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: CreatedAt;
}

export interface ReportsTable {
  id: Generated<string>;
  reporter_id: string;
  target_type: ReportTargetType;
  target_id: string;
  reason: ReportReason;
  note: Generated<string>;
  status: Generated<'open' | 'dismissed' | 'actioned'>;
  created_at: CreatedAt;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
}

/** Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export interface ModerationActionsTable {
  id: Generated<string>;
  moderator_id: string;
  action: ModerationAction;
  target_type: ReportTargetType | 'report';
  target_id: string;
  reason: string;
  created_at: CreatedAt;
}

export interface FollowsTable {
  follower_id: string;
  followee_id: string;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: Generated<string>;
  recipient_id: string;
  actor_id: string | null;
  type: NotificationType;
  export_id: string | null;
  video_id: string | null;
  comment_id: string | null;
  read_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface HashtagsTable {
  id: Generated<string>;
  tag: string;
  created_at: CreatedAt;
}

export interface VideoHashtagsTable {
  video_id: string;
  hashtag_id: string;
  video_created_at: Timestamp;
}

/** An open API Gateway WebSocket connection (shared/realtime/). */
export interface LiveConnectionsTable {
  connection_id: string;
  user_id: string;
  session_id: string | null;
  expires_at: Timestamp;
  connected_at: CreatedAt;
}

export type OutboxEventType =
  | 'notification.created'
  | 'ai_job.updated'
  | 'session.revoked'
  | 'moderation.report_opened';

/** What to tell a person, written with the action; fan-out drains it after commit. */
export interface EventOutboxTable {
  id: Generated<string>;
  recipient_id: string;
  actor_id: string | null;
  type: OutboxEventType;
  data: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
  attempts: Generated<number>;
  claimed_until: Timestamp | null;
  live_done_at: Timestamp | null;
  push_done_at: Timestamp | null;
  done_at: Timestamp | null;
  last_error: string | null;
}

export type PushPlatform = 'ios' | 'android';

export interface PushDevicesTable {
  id: Generated<string>;
  user_id: string;
  session_id: string | null;
  platform: PushPlatform;
  token: string;
  endpoint_arn: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PushPreferencesTable {
  user_id: string;
  likes: boolean;
  comments: boolean;
  follows: boolean;
  glitches: boolean;
  ai_jobs: boolean;
  updated_at: Timestamp;
}

export interface PushLikeBatchesTable {
  id: Generated<string>;
  recipient_id: string;
  video_id: string;
  window_start: ColumnType<Date, Date | string | undefined, Date | string>;
  send_after: Timestamp;
  attempts: Generated<number>;
  claimed_until: Timestamp | null;
  sent_at: Timestamp | null;
}

export interface Database {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  videos: VideosTable;
  video_glitches: VideoGlitchesTable;
  media_assets: MediaAssetsTable;
  studio_selections: StudioSelectionsTable;
  video_soundtracks: VideoSoundtracksTable;
  studio_previews: StudioPreviewsTable;
  ai_jobs: AiJobsTable;
  credit_ledger: CreditLedgerTable;
  webhook_deliveries: WebhookDeliveriesTable;
  rate_limits: RateLimitsTable;
  likes: LikesTable;
  comments: CommentsTable;
  follows: FollowsTable;
  notifications: NotificationsTable;
  hashtags: HashtagsTable;
  video_hashtags: VideoHashtagsTable;
  username_reservations: UsernameReservationsTable;
  email_tokens: EmailTokensTable;
  account_exports: AccountExportsTable;
  live_connections: LiveConnectionsTable;
  event_outbox: EventOutboxTable;
  push_devices: PushDevicesTable;
  push_preferences: PushPreferencesTable;
  push_like_batches: PushLikeBatchesTable;
  blocks: BlocksTable;
  reports: ReportsTable;
  moderation_actions: ModerationActionsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Video = Selectable<VideosTable>;
export type VideoUpdate = Updateable<VideosTable>;
