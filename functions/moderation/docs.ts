import type { RouteDocs } from '../../shared/http/route.ts';
import type { moderationRoutes } from './routes.ts';

/** The OpenAPI text of the moderation routes: read by the document generator, never bundled into a Lambda. */
export const moderationDocs = {
  getModerationQueue: {
    summary: 'Open reports grouped by target: newest report first, or most-reported first',
    description:
      "The moderators' queue: every target (video, comment, person) with open reports, grouped, with how many reports, their reasons, the newest notes and a preview. `sort=newest` (default) puts the newest report first; `sort=most_reported` the most reports first. Moderators and admins only.",
  },
  getModeratedVideo: {
    summary: 'A video as moderators see it, whatever its state, with its audit log',
    description:
      'Any live video, taken down, held or private included (everyone else gets 404 for those), with review URLs for its media and every moderation action on it. Moderators and admins only.',
  },
  takeDownVideo: {
    summary: 'Take a video down (hidden everywhere; owner notified with the reason)',
    description:
      'Hides the video from everyone but its owner (who sees `status: removed` and the reason) and moderators, actions its open reports, records the action in the audit log and mails the owner. `purge_media: true` also deletes its media objects (final: it can no longer be restored). Moderators and admins only; the role is re-checked in the database.',
  },
  restoreVideo: {
    summary: 'Restore a taken-down video',
    description:
      'Makes a taken-down video visible again (unless its media was purged: 409 `media_removed`), with an audit entry.',
  },
  releaseHeldVideo: {
    summary: 'Publish an AI output that screening held for review',
    description:
      "An AI output whose poster frame was flagged by screening is `held`: its owner only sees it, and its media are private (signed URLs, off the CDN). After review, this publishes it (`ready`; a public video's media move onto the CDN), with an audit entry.",
  },
  takeDownComment: {
    summary: 'Take a comment down (hidden everywhere; author notified)',
    description:
      'Hides the comment from everyone, actions its open reports, records the action in the audit log and mails its author the reason.',
  },
  restoreComment: {
    summary: 'Restore a taken-down comment',
    description: 'Makes a taken-down comment visible again, with an audit entry.',
  },
  suspendUser: {
    summary: 'Suspend an account (sessions revoked, cannot sign in, content hidden)',
    description:
      'Revokes every session of the account (open sockets close), refuses new sign-ins (403 `account_suspended`) and hides its profile, videos and comments from everyone. Its likes, follows, comments and glitches stop counting on others (like, follower, following, comment, reply and glitch counts) at once. Actions open reports on the person, records the action and mails them the reason. Moderators and admins cannot be suspended here.',
  },
  unsuspendUser: {
    summary: 'Lift a suspension',
    description:
      'Lets the account sign in again and shows its content again, with an audit entry. Its likes, follows, comments and glitches count again, and its own follower and following counts are counted afresh. Sessions revoked by the suspension stay revoked.',
  },
  dismissReport: {
    summary: 'Dismiss one open report',
    description:
      'Closes one open report without acting on its target, with an audit entry. The reporter may report the target again afterwards.',
  },
} satisfies RouteDocs<typeof moderationRoutes>;
