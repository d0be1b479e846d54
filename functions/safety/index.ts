import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { blockUser } from './block-user.ts';
import { createReport } from './create-report.ts';
import { getSafetySettings } from './get-safety-settings.ts';
import { listBlocks } from './list-blocks.ts';
import { safetyRoutes } from './routes.ts';
import { unblockUser } from './unblock-user.ts';
import { updateSafetySettings } from './update-safety-settings.ts';

export const handler = createDomainHandler(safetyRoutes, 'safety', {
  blockUser,
  unblockUser,
  listBlocks,
  createReport,
  getSafetySettings,
  updateSafetySettings,
});
