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
    description:
      'Changes any of display name (1-50 characters), bio (at most 160), mail language (`en`, `ko`) and username. A username changes at most once per 30 days, and the old one stays reserved for you for 30 days; names are unique whatever their case. Control and bidi characters are refused. Answers the updated account.',
    errors: ['username_taken', 'username_change_too_soon', 'not_found'],
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
    description:
      "Step 1 of an avatar change: a presigned PUT URL valid 15 minutes. PUT the image there with exactly the returned headers; the upload's S3 event checks it (JPEG, PNG or WebP, at most 10 MB, 40 megapixels and 10,000 px a side), makes a 512 px and a 128 px square and replaces the old avatar. A newer request supersedes an older one.",
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
    description:
      "Changes the password, confirmed with the current one, and signs out every other session (this one stays signed in). The new password follows register's rules (8+ characters, at most 72 bytes, not a common password).",
    errors: ['wrong_password', 'not_found'],
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
    description:
      "Deletes the account, confirmed with its password. At once: every session ends, the account and its videos disappear, the email and username are free again. A worker then removes its media, likes, follows, notifications and comments (those with replies stay as a 'deleted' placeholder); glitches others made of its videos keep working.",
    errors: ['wrong_password', 'not_found'],
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
    description:
      'Starts an export of all your data: a zip with your profile, videos, comments, likes, follows, notifications, credit ledger and AI jobs (JSON) and your own media. A notification and a mail with a 7-day link say when it is ready. One at a time (409 `export_in_progress`) and one per 24 hours (429).',
    errors: ['export_in_progress', 'too_many_requests'],
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
    description:
      "One of your exports: `queued`, `building`, `ready` or `failed`. Once ready, and for 7 days, it carries a download URL valid 15 minutes (ask again for a new one). Someone else's export is 404.",
    errors: ['not_found'],
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
    description:
      'The link in the "export ready" mail: no sign-in, the token in the link is the key. Redirects (302) to a 5-minute URL of the zip while the export is ready and the link is younger than 7 days; otherwise 404.',
    errors: ['not_found'],
    tags: ['account'],
    params: IdParams,
    query: DownloadQuery,
    status: 302,
  }),
};
