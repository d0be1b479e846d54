import * as z from 'zod';
import { EX } from '../../shared/http/examples.ts';
import { Timestamp, Uuid } from '../../shared/http/schemas.ts';
import { userText } from '../../shared/http/text.ts';
import { REPORT_NOTE_MAX_CHARS, REPORT_REASONS } from '../../shared/reports/config.ts';
import { USER_SUMMARY_EXAMPLE, UserSummary } from '../../shared/users/view.ts';

export const BlockState = z
  .object({ user_id: z.string(), blocked: z.boolean() })
  .meta({ id: 'BlockState', examples: [{ user_id: EX.otherUserId, blocked: true }] });

export const BlockedUser = UserSummary.extend({ blocked_at: Timestamp }).meta({ id: 'BlockedUser' });

export const BlockPage = z.object({ items: z.array(BlockedUser), next_cursor: z.string().nullable() }).meta({
  id: 'BlockPage',
  examples: [{ items: [{ ...USER_SUMMARY_EXAMPLE, blocked_at: EX.time }], next_cursor: null }],
});

export const CreateReportBody = z
  .strictObject({
    target_type: z.enum(['video', 'comment', 'user']),
    target_id: Uuid,
    reason: z.enum(REPORT_REASONS),
    note: userText({ label: 'Note', max: REPORT_NOTE_MAX_CHARS, nfc: true }).optional(),
  })
  .meta({
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
  .meta({ id: 'Report', examples: [REPORT_EXAMPLE] });

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
  .meta({ id: 'SafetySettings', examples: [SETTINGS_EXAMPLE] });

export const UpdateSafetySettingsBody = z
  .strictObject({
    default_allow_glitches: z.boolean().optional(),
    default_allow_frame_capture: z.boolean().optional(),
    exclude_ai: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Provide at least one field' })
  .meta({ examples: [{ default_allow_glitches: false, exclude_ai: true }] });
