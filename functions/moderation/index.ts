import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { dismissReport } from './dismiss-report.ts';
import { getModeratedVideo } from './get-moderated-video.ts';
import { getModerationQueue } from './get-moderation-queue.ts';
import { releaseHeldVideo } from './release-held-video.ts';
import { restoreComment } from './restore-comment.ts';
import { restoreVideo } from './restore-video.ts';
import { moderationRoutes } from './routes.ts';
import { suspendUser } from './suspend-user.ts';
import { takeDownComment } from './take-down-comment.ts';
import { takeDownVideo } from './take-down-video.ts';
import { unsuspendUser } from './unsuspend-user.ts';

export const handler = createDomainHandler(moderationRoutes, 'moderation', {
  getModerationQueue,
  getModeratedVideo,
  takeDownVideo,
  restoreVideo,
  releaseHeldVideo,
  takeDownComment,
  restoreComment,
  suspendUser,
  unsuspendUser,
  dismissReport,
});
