import * as z from 'zod/mini';
import { EX } from '../../shared/http/examples.ts';
import { Timestamp } from '../../shared/http/schemas.ts';
import { userText } from '../../shared/http/text.ts';
import { REPORT_REASONS } from '../../shared/reports/config.ts';
import { VIDEO_EXAMPLE, VideoView } from '../../shared/videos/view.ts';

/** Why, in the moderator's words: stored in the audit log and mailed to the owner. */
export const MODERATION_REASON_MAX_CHARS = 500;

/** One line (no control characters, no bidi overrides: it is mailed and shown), NFC, 1–500 characters. */
const ModerationReason = userText({
  label: 'Reason',
  min: 1,
  max: MODERATION_REASON_MAX_CHARS,
  name: true,
  nfc: true,
});

export const ReasonBody = z.strictObject({ reason: ModerationReason }).register(z.globalRegistry, {
  examples: [{ reason: 'Deepfake of a real person without their consent (report 3 of 3)' }],
});

export const TakeDownVideoBody = z
  .strictObject({
    reason: ModerationReason,
    /** Delete the media objects now (final: the video can no longer be restored). Default false. */
    purge_media: z.optional(z.boolean()),
  })
  .register(z.globalRegistry, {
    examples: [{ reason: 'Sexual content involving a real person without consent', purge_media: true }],
  });

export const QueueQuery = z.object({
  cursor: z
    .optional(z.string().check(z.minLength(1), z.maxLength(512)))
    .register(z.globalRegistry, { description: 'The `next_cursor` of the previous page' }),
  limit: z
    .pipe(
      z._default(z.coerce.number().check(z.int(), z.gte(1)), 20),
      z.transform((n) => Math.min(n, 50)),
    )
    .register(z.globalRegistry, { maximum: 50, description: 'Groups per page, 1-50', examples: [20] }),
  /** `newest`: the newest report first; `most_reported`: the most reports first (ties: newest). */
  sort: z._default(z.enum(['newest', 'most_reported']), 'newest'),
});

const TARGET_TYPES = ['video', 'comment', 'user'] as const;

const QUEUE_EXAMPLE = {
  target_type: 'video',
  target_id: EX.glitchVideoId,
  report_count: 3,
  latest_report_at: EX.later,
  reasons: ['impersonation_or_deepfake', 'nudity'],
  notes: ['This puts my face on someone else without asking'],
  preview: 'my cat vs. the vacuum, glitched #lokiz',
  owner_id: EX.otherUserId,
  already_removed: false,
};

export const QueueGroup = z
  .object({
    target_type: z.enum(TARGET_TYPES),
    target_id: z.string(),
    report_count: z.number().check(z.int()),
    latest_report_at: Timestamp,
    reasons: z.array(z.enum(REPORT_REASONS)),
    /** The newest few non-empty notes. */
    notes: z.array(z.string()),
    /** A caption, a comment's text or a username (null when the target is gone). */
    preview: z.nullable(z.string()),
    owner_id: z.nullable(z.string()),
    /** Already taken down (or suspended), e.g. by an action on another report. */
    already_removed: z.boolean(),
  })
  .register(z.globalRegistry, { id: 'ModerationQueueGroup', examples: [QUEUE_EXAMPLE] });

export const QueuePage = z
  .object({ items: z.array(QueueGroup), next_cursor: z.nullable(z.string()) })
  .register(z.globalRegistry, {
    id: 'ModerationQueuePage',
    examples: [{ items: [QUEUE_EXAMPLE], next_cursor: null }],
  });

const OUTCOME_EXAMPLE = {
  target_type: 'video',
  target_id: EX.glitchVideoId,
  action: 'take_down',
  reason: 'Deepfake of a real person without their consent',
};

export const ModerationOutcome = z
  .object({
    target_type: z.enum([...TARGET_TYPES, 'report']),
    target_id: z.string(),
    action: z.enum(['take_down', 'restore', 'suspend', 'unsuspend', 'dismiss_report', 'release_held']),
    reason: z.string(),
  })
  .register(z.globalRegistry, { id: 'ModerationOutcome', examples: [OUTCOME_EXAMPLE] });

const AUDIT_EXAMPLE = {
  id: EX.notificationId,
  moderator_id: EX.userId,
  action: 'take_down',
  reason: 'Deepfake of a real person without their consent',
  created_at: EX.later,
};

export const AuditEntry = z
  .object({
    id: z.string(),
    moderator_id: z.string(),
    action: z.string(),
    reason: z.string(),
    created_at: Timestamp,
  })
  .register(z.globalRegistry, { id: 'ModerationAuditEntry', examples: [AUDIT_EXAMPLE] });

export const ModeratedVideo = z
  .object({
    /** As its owner sees it (`removed` with the reason when taken down, `held` when held). */
    video: VideoView,
    /** Short-lived URLs to review the media, whatever the state (null once purged). */
    review_video_url: z.nullable(z.string()),
    review_thumbnail_url: z.nullable(z.string()),
    /** Every moderation action on it, oldest first (the append-only audit log). */
    audit: z.array(AuditEntry),
  })
  .register(z.globalRegistry, {
    id: 'ModeratedVideo',
    examples: [
      {
        video: { ...VIDEO_EXAMPLE, status: 'removed', removed_reason: OUTCOME_EXAMPLE.reason },
        review_video_url: VIDEO_EXAMPLE.video_url,
        review_thumbnail_url: VIDEO_EXAMPLE.thumbnail_url,
        audit: [AUDIT_EXAMPLE],
      },
    ],
  });

export const DismissedReport = z
  .object({ id: z.string(), status: z.literal('dismissed') })
  .register(z.globalRegistry, {
    id: 'DismissedReport',
    examples: [{ id: EX.notificationId, status: 'dismissed' }],
  });
