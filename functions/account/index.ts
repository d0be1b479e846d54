import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { changePassword } from './change-password.ts';
import { createAvatarUploadUrl } from './create-avatar-upload-url.ts';
import { createExport } from './create-export.ts';
import { deleteAccount } from './delete-account.ts';
import { downloadExport } from './download-export.ts';
import { getExport } from './get-export.ts';
import { accountRoutes } from './routes.ts';
import { updateProfile } from './update-profile.ts';

export const handler = createDomainHandler(accountRoutes, 'account', {
  updateProfile,
  createAvatarUploadUrl,
  changePassword,
  deleteAccount,
  createExport,
  getExport,
  downloadExport,
});
