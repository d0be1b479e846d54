import type { RouteDocs } from '../../shared/http/route.ts';
import type { safetyRoutes } from './routes.ts';

/** The OpenAPI text of the safety routes: read by the document generator, never bundled into a Lambda. */
export const safetyDocs = {
  blockUser: {
    summary: 'Block someone (both ways; removes follows in both directions; idempotent)',
    description:
      "Blocks someone. A block works both ways: neither of you sees the other's videos, comments or profile anywhere (feeds, search, hashtags, glitch chains, follower lists, notifications, live events and push), and neither can like, comment on, follow or glitch the other's videos (those answer 404, as for anything you cannot see). Follows between you in either direction are removed, with both follower counts kept exact. Blocking twice changes nothing.",
  },
  unblockUser: {
    summary: 'Unblock someone (idempotent; the follows a block removed stay removed)',
    description:
      'Removes your block (a no-op when there was none). A block they made on you stays. Follows the block removed are not restored.',
  },
  listBlocks: {
    summary: 'The people you block, newest block first',
    description: 'The people you block, most recent first, so that you can unblock them.',
  },
  createReport: {
    summary: 'Report a video, a comment or a person (idempotent per target; rate-limited)',
    description:
      'Reports something you can see to the moderators, with a reason from a fixed list and an optional note (at most 500 characters, no control characters). The first open report of a target reaches every moderator at once (the live event `moderation.report_opened`). Reporting the same target again while your report is open answers that report (200 instead of 201). You cannot report yourself or your own content. At most `REPORTS_PER_HOUR` (default 20) new reports per account per rolling hour; more answer 429 with Retry-After.',
  },
  getSafetySettings: {
    summary: 'Your remix-consent defaults and the "hide AI content" switch',
    description:
      'Your defaults for new uploads (whether others may glitch them or capture their frames; on unless you turn them off) and whether feeds and search hide AI-made videos for you.',
  },
  updateSafetySettings: {
    summary: 'Change your remix-consent defaults or the "hide AI content" switch',
    description:
      'Changes any of the three settings. Consent defaults apply to videos created afterwards; change an existing video with `PATCH /v1/videos/{id}`.',
  },
} satisfies RouteDocs<typeof safetyRoutes>;
