import { route } from '../../shared/http/route.ts';
import { IdParams, PageQuery } from '../../shared/http/schemas.ts';
import {
  BlockPage,
  BlockState,
  CreateReportBody,
  Report,
  SafetySettings,
  UpdateSafetySettingsBody,
} from './schemas.ts';

/** The safety domain's entries: blocks, reports and the caller's safety settings. */
export const safetyRoutes = {
  blockUser: route({
    method: 'POST',
    path: '/v1/blocks/users/{id}',
    domain: 'safety',
    auth: 'required',
    summary: 'Block someone (both ways; removes follows in both directions; idempotent)',
    description:
      "Blocks someone. A block works both ways: neither of you sees the other's videos, comments or profile anywhere (feeds, search, hashtags, glitch chains, follower lists, notifications, live events and push), and neither can like, comment on, follow or glitch the other's videos (those answer 404, as for anything you cannot see). Follows between you in either direction are removed, with both follower counts kept exact. Blocking twice changes nothing.",
    errors: ['not_found', 'cannot_block_self'],
    tags: ['safety'],
    params: IdParams,
    response: BlockState,
  }),
  unblockUser: route({
    method: 'DELETE',
    path: '/v1/blocks/users/{id}',
    domain: 'safety',
    auth: 'required',
    summary: 'Unblock someone (idempotent; the follows a block removed stay removed)',
    description:
      'Removes your block (a no-op when there was none). A block they made on you stays. Follows the block removed are not restored.',
    errors: ['not_found', 'cannot_block_self'],
    tags: ['safety'],
    params: IdParams,
    response: BlockState,
  }),
  listBlocks: route({
    method: 'GET',
    path: '/v1/blocks',
    domain: 'safety',
    auth: 'required',
    summary: 'The people you block, newest block first',
    description: 'The people you block, most recent first, so that you can unblock them.',
    tags: ['safety'],
    query: PageQuery,
    response: BlockPage,
  }),
  createReport: route({
    method: 'POST',
    path: '/v1/reports',
    domain: 'safety',
    auth: 'required',
    summary: 'Report a video, a comment or a person (idempotent per target; rate-limited)',
    description:
      'Reports something you can see to the moderators, with a reason from a fixed list and an optional note (at most 500 characters, no control characters). Reporting the same target again while your report is open answers that report (200 instead of 201). You cannot report yourself or your own content. At most `REPORTS_PER_HOUR` (default 20) new reports per account per rolling hour; more answer 429 with Retry-After.',
    errors: ['not_found', 'cannot_report_self', 'too_many_requests'],
    tags: ['safety'],
    body: CreateReportBody,
    response: Report,
    status: 201,
  }),
  getSafetySettings: route({
    method: 'GET',
    path: '/v1/safety/settings',
    domain: 'safety',
    auth: 'required',
    summary: 'Your remix-consent defaults and the "hide AI content" switch',
    description:
      'Your defaults for new uploads (whether others may glitch them or capture their frames; on unless you turn them off) and whether feeds and search hide AI-made videos for you.',
    tags: ['safety'],
    response: SafetySettings,
  }),
  updateSafetySettings: route({
    method: 'PATCH',
    path: '/v1/safety/settings',
    domain: 'safety',
    auth: 'required',
    summary: 'Change your remix-consent defaults or the "hide AI content" switch',
    description:
      'Changes any of the three settings. Consent defaults apply to videos created afterwards; change an existing video with `PATCH /v1/videos/{id}`.',
    tags: ['safety'],
    body: UpdateSafetySettingsBody,
    response: SafetySettings,
  }),
};
