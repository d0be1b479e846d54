import { ExportView } from '../../shared/accounts/export-view.ts';
import { route } from '../../shared/http/route.ts';
import { IdParams } from '../../shared/http/schemas.ts';
import { Me } from '../../shared/users/view.ts';
import {
  AvatarUploadBody,
  AvatarUploadResponse,
  ChangePasswordBody,
  DeleteAccountBody,
  DeletionScheduled,
  DownloadQuery,
  UpdateProfileBody,
} from './schemas.ts';

/** The account domain's entries of the route table: managing one's own account. */
export const accountRoutes = {
  updateProfile: route({
    method: 'PATCH',
    path: '/v1/account/profile',
    domain: 'account',
    auth: 'required',
    summary:
      'Change display name, bio (≤ 160), mail language or username (once per 30 days; the old name stays yours for 30 days)',
    tags: ['account'],
    body: UpdateProfileBody,
    response: Me,
  }),
  createAvatarUploadUrl: route({
    method: 'POST',
    path: '/v1/account/avatar/upload-url',
    domain: 'account',
    auth: 'required',
    summary: 'Presigned upload of a new avatar (JPEG, PNG or WebP, ≤ 10 MB); it becomes a 512 px square',
    tags: ['account'],
    body: AvatarUploadBody,
    response: AvatarUploadResponse,
    status: 201,
  }),
  changePassword: route({
    method: 'POST',
    path: '/v1/account/password',
    domain: 'account',
    auth: 'required',
    summary: 'Change the password (needs the current one); every other session is signed out',
    tags: ['account'],
    body: ChangePasswordBody,
    throttle: 'auth',
  }),
  deleteAccount: route({
    method: 'DELETE',
    path: '/v1/account',
    domain: 'account',
    auth: 'required',
    summary: 'Delete the account (password confirmation): gone at once, its data removed by a worker',
    tags: ['account'],
    body: DeleteAccountBody,
    response: DeletionScheduled,
    status: 202,
    throttle: 'auth',
  }),
  createExport: route({
    method: 'POST',
    path: '/v1/account/exports',
    domain: 'account',
    auth: 'required',
    summary: 'Ask for a zip of all my data (one a day); a notification and a mail say when it is ready',
    tags: ['account'],
    response: ExportView,
    status: 202,
  }),
  getExport: route({
    method: 'GET',
    path: '/v1/account/exports/{id}',
    domain: 'account',
    auth: 'required',
    summary: 'An export: status, and a short-lived download URL once ready',
    tags: ['account'],
    params: IdParams,
    response: ExportView,
  }),
  downloadExport: route({
    method: 'GET',
    path: '/v1/account/exports/{id}/download',
    domain: 'account',
    auth: 'none',
    summary: 'The mailed download link (7 days): redirects to the zip',
    tags: ['account'],
    params: IdParams,
    query: DownloadQuery,
    status: 302,
  }),
};
