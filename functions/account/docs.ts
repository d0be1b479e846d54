import type { RouteDocs } from '../../shared/http/route.ts';
import type { accountRoutes } from './routes.ts';

/** The OpenAPI text of the account routes: read by the document generator, never bundled into a Lambda. */
export const accountDocs = {
  updateProfile: {
    summary:
      'Change display name, bio (≤ 160), mail language or username (once per 30 days; the old name stays yours for 30 days)',
    description:
      'Changes any of display name (1-50 characters), bio (at most 160), mail language (`en`, `ko`) and username. A username changes at most once per 30 days, and the old one stays reserved for you for 30 days; names are unique whatever their case. Control and bidi characters are refused. Answers the updated account.',
  },
  createAvatarUploadUrl: {
    summary: 'Presigned upload of a new avatar (JPEG, PNG or WebP, ≤ 10 MB); it becomes a 512 px square',
    description:
      "Step 1 of an avatar change: a presigned PUT URL valid 15 minutes. PUT the image there with exactly the returned headers; the upload's S3 event checks it (JPEG, PNG or WebP, at most 10 MB, 40 megapixels and 10,000 px a side), makes a 512 px and a 128 px square and replaces the old avatar. A newer request supersedes an older one.",
  },
  changePassword: {
    summary: 'Change the password (needs the current one); every other session is signed out',
    description:
      "Changes the password, confirmed with the current one, and signs out every other session (this one stays signed in). The new password follows register's rules (8+ characters, at most 72 bytes, not a common password).",
  },
  deleteAccount: {
    summary: 'Delete the account (password confirmation): gone at once, its data removed by a worker',
    description:
      "Deletes the account, confirmed with its password. At once: every session ends, the account and its videos disappear, the email and username are free again. A worker then removes its media, likes, follows, notifications and comments (those with replies stay as a 'deleted' placeholder); glitches others made of its videos keep working.",
  },
  createExport: {
    summary: 'Ask for a zip of all my data (one a day); a notification and a mail say when it is ready',
    description:
      'Starts an export of all your data: a zip with your profile, videos, comments, likes, follows, notifications, credit ledger and AI jobs (JSON) and your own media. A notification and a mail with a 7-day link say when it is ready. One at a time (409 `export_in_progress`) and one per 24 hours (429).',
  },
  getExport: {
    summary: 'An export: status, and a short-lived download URL once ready',
    description:
      "One of your exports: `queued`, `building`, `ready` or `failed`. Once ready, and for 7 days, it carries a download URL valid 15 minutes (ask again for a new one). Someone else's export is 404.",
  },
  downloadExport: {
    summary: 'The mailed download link (7 days): redirects to the zip',
    description:
      'The link in the "export ready" mail: no sign-in, the token in the link is the key. Redirects (302) to a 5-minute URL of the zip while the export is ready and the link is younger than 7 days; otherwise 404.',
  },
} satisfies RouteDocs<typeof accountRoutes>;
