import type { RouteDocs } from '../shared/http/route.ts';
import { accountDocs } from './account/docs.ts';
import { aiDocs } from './ai/docs.ts';
import { authDocs } from './auth/docs.ts';
import { commentsDocs } from './comments/docs.ts';
import { followsDocs } from './follows/docs.ts';
import { glitchDocs } from './glitch/docs.ts';
import { hashtagsDocs } from './hashtags/docs.ts';
import { likesDocs } from './likes/docs.ts';
import { moderationDocs } from './moderation/docs.ts';
import { notificationsDocs } from './notifications/docs.ts';
import type { Routes } from './routes.ts';
import { safetyDocs } from './safety/docs.ts';
import { searchDocs } from './search/docs.ts';
import { studioDocs } from './studio/docs.ts';
import { systemDocs } from './system/docs.ts';
import { usersDocs } from './users/docs.ts';
import { videosDocs } from './videos/docs.ts';
import { webhooksDocs } from './webhooks/docs.ts';

/** The OpenAPI text of every route (functions/<domain>/docs.ts), for the document generator only. */
export const routeDocs = {
  ...systemDocs,
  ...authDocs,
  ...videosDocs,
  ...usersDocs,
  ...likesDocs,
  ...commentsDocs,
  ...followsDocs,
  ...notificationsDocs,
  ...searchDocs,
  ...hashtagsDocs,
  ...aiDocs,
  ...webhooksDocs,
  ...glitchDocs,
  ...studioDocs,
  ...accountDocs,
  ...safetyDocs,
  ...moderationDocs,
} satisfies RouteDocs<Routes>;
