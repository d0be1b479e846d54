import * as z from 'zod/mini';
import { EX } from '../../shared/http/examples.ts';
import { Timestamp, Uuid } from '../../shared/http/schemas.ts';
import { userText } from '../../shared/http/text.ts';
import { REPORT_NOTE_MAX_CHARS, REPORT_REASONS } from '../../shared/reports/config.ts';
import { USER_SUMMARY_EXAMPLE, UserSummary } from '../../shared/users/view.ts';

export const BlockState = z
  .object({ user_id: z.string(), blocked: z.boolean() })
  .register(z.globalRegistry, { id: 'BlockState', examples: [{ user_id: EX.otherUserId, blocked: true }] });

export const BlockedUser = z
  .extend(UserSummary, { blocked_at: Timestamp })
  .register(z.globalRegistry, { id: 'BlockedUser' });

export const BlockPage = z
  .object({ items: z.array(BlockedUser), next_cursor: z.nullable(z.string()) })
  .register(z.globalRegistry, {
    id: 'BlockPage',
    examples: [{ items: [{ ...USER_SUMMARY_EXAMPLE, blocked_at: EX.time }], next_cursor: null }],
  });

export const CreateReportBody = z
  .strictObject({
    target_type: z.enum(['video', 'comment', 'user']),
    target_id: Uuid,
    reason: z.enum(REPORT_REASONS),
    note: z.optional(userText({ label: 'Note', max: REPORT_NOTE_MAX_CHARS, nfc: true })),
  })
  .register(z.globalRegistry, {
    examples: [
      {
        target_type: 'video',
        target_id: EX.videoId,
        reason: 'impersonation_or_deepfake',
        note: 'This puts my face on someone else without asking',
      },
    ],
  });

const REPORT_EXAMPLE = {
  id: EX.notificationId,
  target_type: 'video',
  target_id: EX.videoId,
  reason: 'impersonation_or_deepfake',
  note: 'This puts my face on someone else without asking',
  status: 'open',
  created_at: EX.time,
};

export const Report = z
  .object({
    id: z.string(),
    target_type: z.enum(['video', 'comment', 'user']),
    target_id: z.string(),
    reason: z.enum(REPORT_REASONS),
    note: z.string(),
    /** `open` until a moderator acts on the target (`actioned`) or dismisses it. */
    status: z.enum(['open', 'dismissed', 'actioned']),
    created_at: Timestamp,
  })
  .register(z.globalRegistry, { id: 'Report', examples: [REPORT_EXAMPLE] });

const SETTINGS_EXAMPLE = {
  default_allow_glitches: true,
  default_allow_frame_capture: true,
  exclude_ai: false,
};

export const SafetySettings = z
  .object({
    /** Consent given to new uploads (each video can change its own later). */
    default_allow_glitches: z.boolean(),
    default_allow_frame_capture: z.boolean(),
    /** Hide AI-made videos from feeds and search unless a request says `exclude_ai=false`. */
    exclude_ai: z.boolean(),
  })
  .register(z.globalRegistry, { id: 'SafetySettings', examples: [SETTINGS_EXAMPLE] });

export const UpdateSafetySettingsBody = z
  .strictObject({
    default_allow_glitches: z.optional(z.boolean()),
    default_allow_frame_capture: z.optional(z.boolean()),
    exclude_ai: z.optional(z.boolean()),
  })
  .check(
    z.refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Provide at least one field' }),
  )
  .register(z.globalRegistry, { examples: [{ default_allow_glitches: false, exclude_ai: true }] });
