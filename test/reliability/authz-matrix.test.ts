import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteName, routes } from '../../functions/routes.ts';
import { hashDownloadToken } from '../../shared/accounts/export-build.ts';
import { OUTPUT_QUEUE_ENV } from '../../shared/ai/output-queue.ts';
import { findJob, recordPrediction } from '../../shared/ai/repository.ts';
import { applyPrediction, ensureOutputCopied } from '../../shared/ai/settle.ts';
import { generateWebhookSecret, signWebhook } from '../../shared/ai/webhook-signature.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteDef } from '../../shared/http/route.ts';
import { LocalQueue } from '../../shared/local/sqs.ts';
import { mediaUrl } from '../../shared/storage/media-url.ts';
import { uploadBytes, uploadFile } from '../../shared/storage/s3.ts';
import { ledgerMatchesBalance, selectRange, setCredits, uploadCharacterImage } from '../harness/ai.ts';
import { linkGlitchTo, postComments } from '../harness/consistent-writes.ts';
import { registerUser, type TestUser, uniqueSuffix } from '../harness/factories.ts';
import { type ApiResponse as ApiResponseOf, useApi } from '../harness/http.ts';
import { usePushStandIn } from '../harness/live.ts';
import { lastMailTo, linkToken } from '../harness/mail.ts';
import { makeTestAudio, makeTestVideo } from '../harness/media.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { seedReadyVideos } from '../harness/seed.ts';
import { uploadVideo } from '../harness/videos.ts';
import { createUser, type QuickUser } from '../social/fixtures.ts';
import { mapLimit, useInvariants } from './harness.ts';
import { expiredToken, tamperedToken } from './tokens.ts';

type ApiResponse = ApiResponseOf<any>;

/**
 * Every route × every kind of caller, with the outcome the route's auth mode promises:
 *
 *   own      A's valid token on A's resources: the route's success status (checks the sample is right)
 *   none     no Authorization header: required → 401; optional → the anonymous answer; none → as own
 *   expired  A's token, correctly signed, expired: required/optional → 401 token_expired; none → as own
 *   tampered A's token with its signature changed: required/optional → 401 invalid_token; none → as own
 *   deleted  a valid token of an account that no longer exists: never a 5xx (401 session_ended: every
 *            authenticated request checks the token's session and account).
 *   other    B's valid token on A's resources: owner-only routes → 404 (someone else's looks missing);
 *            the rest act for B, and B's answer never contains A's private rows.
 *
 * The expected table comes from the route table's `auth` plus the per-route notes below; a route
 * added to the table without a case here fails the first test. The matrix is printed on failure.
 */
const media = useLocalMedia();
const api = useApi();
const invariants = useInvariants();
// Device registration creates SNS platform endpoints: the offline stand-in's.
usePushStandIn();

process.env.REPLICATE_WEBHOOK_SECRET = generateWebhookSecret();
// No queue in this file: job requests are accepted (202) and canceled right after, never dispatched.
delete process.env.AI_JOBS_QUEUE_URL;
// A settled job's output copy is asked for on this queue; finishedMusicOfA copies it itself.
const outputCopies = new LocalQueue({ name: 'authz-ai-outputs', handler: async () => undefined });
process.env[OUTPUT_QUEUE_ENV] = outputCopies.url;

const COLUMNS = ['own', 'none', 'expired', 'tampered', 'deleted', 'other'] as const;
type Column = (typeof COLUMNS)[number];

interface World {
  a: TestUser;
  b: TestUser;
  /** Followed in the follow rows (nobody can follow themselves). */
  target: TestUser;
  /** Blocked in the block rows (a block of `target` would break the follow cases running alongside). */
  blockee: QuickUser;
  tokens: Record<Column, string | undefined>;
  video: string;
  privateVideo: string;
  commentByA: string;
  notificationForA: string;
  selectionOfA: string;
  imageOfA: string;
  jobOfA: string;
  /** A's video with A's music on it (its own video: the worker's new revision touches nothing else here). */
  musicVideo: string;
  musicJobOfA: string;
  soundtrackOfA: string;
}
let w: World;

interface Sample {
  path: string;
  body?: unknown;
  raw?: { body: string; headers: Record<string, string> };
  /** Runs after the call, whatever it answered (cancel what it started). */
  cleanup?: (res: ApiResponse) => Promise<void>;
}

interface Case {
  /** Builds the request for A's resources; called once per column (fresh rows where a call consumes them). */
  sample: () => Promise<Sample> | Sample;
  /** Someone else's token: 404 (owner-only), or what B gets acting for themselves (default the success status). */
  other?: number;
  /** Optional routes: what an anonymous caller gets (default the success status). */
  anonymous?: number;
  /** Ids that must not appear in B's answer (A's private rows). */
  privateToA?: () => string[];
  /**
   * What A's own valid call answers when the sample must not succeed (changing A's password or
   * deleting A would break the other cases): a wrong password (403) still proves A got through.
   */
  own?: number;
}

const OWNER_ONLY = 404;
/** A is a moderator here; B, a plain user, gets 403 not_moderator on every moderation route. */
const MODERATORS_ONLY = 403;

/** A live video of `target`'s (a moderation action's subject), fresh per call. */
async function freshVideoOfTarget(): Promise<string> {
  const [id] = await seedReadyVideos(w.target.id, 1);
  return id!;
}

/** A glitch of A's video made by `target`, fresh per call (A, the source's owner, may detach it). */
async function freshGlitchOfA(): Promise<string> {
  const glitch = await freshVideoOfTarget();
  await linkGlitchTo(glitch, w.video);
  return glitch;
}

async function freshCommentOfTarget(): Promise<string> {
  await postComments(w.video, w.target.id, [`moderate me ${uniqueSuffix()}`]);
  const row = await getDb()
    .selectFrom('comments')
    .select('id')
    .where('author_id', '=', w.target.id)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Cells that show a product bug reported with known-bugs.test.ts: they must still fail their
 * expectation here (when one starts passing, the bug is fixed: take it off this list).
 * A token of a deleted account passes authentication, then the insert of a row referencing
 * users.id fails with a foreign-key violation (23503) that nothing maps: an opaque 500.
 */
// Cells that once answered 500 (foreign-key violations for a deleted account); fixed, kept for the next find.
const KNOWN_BUG_CELLS = new Set<string>([]);

async function cancelAs(token: string, jobId: string | undefined) {
  if (!jobId) return;
  await api.request('POST', `/v1/ai/jobs/${jobId}/cancel`, { token });
}

/** Cancels a job the call created, as whoever created it (A or B). */
const cancelCreatedJob = async (res: ApiResponse) => {
  if (res.status !== 202) return;
  const row = await getDb()
    .selectFrom('ai_jobs')
    .select('user_id')
    .where('id', '=', res.body.id)
    .executeTakeFirst();
  const owner = row?.user_id === w.a.id ? w.a : row?.user_id === w.b.id ? w.b : undefined;
  if (owner) await cancelAs(owner.accessToken, res.body.id);
};

async function freshJobOfA(): Promise<string> {
  const res = await api.request('POST', '/v1/ai/music', {
    token: w.a.accessToken,
    body: { prompt: 'a tune to cancel' },
  });
  expect(res.status).toBe(202);
  return res.body.id;
}

async function freshDeviceOfA(): Promise<string> {
  const res = await api.request('POST', '/v1/notifications/devices', {
    token: w.a.accessToken,
    body: { platform: 'android', token: `fcm:${randomUUID()}` },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

/**
 * A's finished music job without the AI queues (none runs in this file): a prediction recorded for it,
 * settled by the service the webhook calls, then copied in by the output-copier's service; its output
 * a real audio file served from the local S3.
 */
async function finishedMusicOfA(): Promise<string> {
  const id = await freshJobOfA();
  const db = getDb();
  await recordPrediction(db, id, `authz-${id}`);
  const output = `tmp/authz-${id}.m4a`;
  await uploadFile(output, await makeTestAudio({ seconds: 2 }), 'audio/mp4');
  const job = await findJob(db, id);
  const outcome = await applyPrediction(db, job!, {
    id: `authz-${id}`,
    status: 'succeeded',
    output: await mediaUrl(output),
  });
  expect(outcome).toBe('succeeded');
  await ensureOutputCopied(db, id);
  return id;
}

/** The music-on-video request both soundtrack cases use: the same parameters return the same request. */
const musicOnVideo = () => ({ music_job_id: w.musicJobOfA, mode: 'replace', music_end_ms: 1000 });

async function freshRefreshToken(): Promise<string> {
  const res = await api.request('POST', '/v1/auth/login', {
    body: { email: w.a.email, password: w.a.password },
  });
  expect(res.status).toBe(200);
  return res.body.refresh_token;
}

function signedWebhook() {
  const body = JSON.stringify({ id: `unknown-${uniqueSuffix()}`, status: 'processing' });
  const webhookId = `msg_${uniqueSuffix()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook({
        secret: process.env.REPLICATE_WEBHOOK_SECRET!,
        webhookId,
        timestamp,
        rawBody: body,
      }),
    },
  };
}

const glitchBody = () => ({
  source_video_id: w.video,
  selection_id: w.selectionOfA,
  character_image_id: w.imageOfA,
});

const CASES: Record<string, Case> = {
  health: { sample: () => ({ path: '/health' }) },
  openapi: { sample: () => ({ path: '/openapi.json' }) },

  register: {
    sample: () => {
      const name = `authz_${uniqueSuffix()}`;
      return {
        path: '/v1/auth/register',
        body: { email: `${name}@example.test`, username: name, password: `pw-${name}-Trickster!` },
        cleanup: async (res) => {
          if (res.status === 201) invariants.track(res.body.user.id);
        },
      };
    },
  },
  login: { sample: () => ({ path: '/v1/auth/login', body: { email: w.a.email, password: w.a.password } }) },
  refresh: {
    sample: async () => ({ path: '/v1/auth/refresh', body: { refresh_token: await freshRefreshToken() } }),
  },
  logout: {
    sample: async () => ({ path: '/v1/auth/logout', body: { refresh_token: await freshRefreshToken() } }),
  },
  me: { sample: () => ({ path: '/v1/auth/me' }), privateToA: () => [w.a.id, w.a.email] },

  createUploadUrl: {
    sample: () => ({ path: '/v1/videos/upload-url', body: { content_type: 'video/mp4', size_bytes: 1000 } }),
  },
  listVideos: { sample: () => ({ path: '/v1/videos' }), privateToA: () => [w.privateVideo] },
  listVideosSeedPath: { sample: () => ({ path: '/v1/videos/' }), privateToA: () => [w.privateVideo] },
  getVideo: { sample: () => ({ path: `/v1/videos/${w.video}` }) },
  'getVideo (private video)': {
    sample: () => ({ path: `/v1/videos/${w.privateVideo}` }),
    anonymous: 404,
    other: OWNER_ONLY,
  },
  updateVideo: {
    sample: () => ({ path: `/v1/videos/${w.video}`, body: { caption: `edited ${uniqueSuffix()} #authz` } }),
    other: OWNER_ONLY,
  },
  deleteVideo: {
    sample: async () => {
      const [id] = await seedReadyVideos(w.a.id, 1);
      return { path: `/v1/videos/${id}` };
    },
    other: OWNER_ONLY,
  },

  getUserByUsername: { sample: () => ({ path: `/v1/usernames/${w.a.username}` }) },
  getUser: { sample: () => ({ path: `/v1/users/${w.a.id}` }) },
  listUserVideos: {
    sample: () => ({ path: `/v1/users/${w.a.id}/videos` }),
    privateToA: () => [w.privateVideo],
  },

  likeVideo: { sample: () => ({ path: `/v1/likes/videos/${w.video}` }) },
  'likeVideo (private video)': {
    sample: () => ({ path: `/v1/likes/videos/${w.privateVideo}` }),
    other: OWNER_ONLY,
  },
  unlikeVideo: { sample: () => ({ path: `/v1/likes/videos/${w.video}` }) },
  checkLike: { sample: () => ({ path: `/v1/likes/videos/${w.video}/check` }) },

  createComment: {
    sample: () => ({ path: `/v1/comments/videos/${w.video}`, body: { body: 'authz says hi' } }),
  },
  'createComment (private video)': {
    sample: () => ({ path: `/v1/comments/videos/${w.privateVideo}`, body: { body: 'psst' } }),
    other: OWNER_ONLY,
  },
  listComments: { sample: () => ({ path: `/v1/comments/videos/${w.video}` }) },
  'listComments (private video)': {
    sample: () => ({ path: `/v1/comments/videos/${w.privateVideo}` }),
    anonymous: 404,
    other: OWNER_ONLY,
  },
  listReplies: { sample: () => ({ path: `/v1/comments/${w.commentByA}/replies` }) },
  updateComment: {
    sample: () => ({ path: `/v1/comments/${w.commentByA}`, body: { body: `edited ${uniqueSuffix()}` } }),
    other: OWNER_ONLY,
  },
  deleteComment: {
    sample: async () => {
      const res = await api.request('POST', `/v1/comments/videos/${w.video}`, {
        token: w.a.accessToken,
        body: { body: 'to be deleted' },
      });
      expect(res.status).toBe(201);
      return { path: `/v1/comments/${res.body.id}` };
    },
    other: OWNER_ONLY,
  },

  followUser: { sample: () => ({ path: `/v1/follows/users/${w.target.id}` }) },
  unfollowUser: { sample: () => ({ path: `/v1/follows/users/${w.target.id}` }) },
  listFollowers: { sample: () => ({ path: `/v1/follows/users/${w.a.id}/followers` }) },
  listFollowing: { sample: () => ({ path: `/v1/follows/users/${w.a.id}/following` }) },
  checkFollow: { sample: () => ({ path: `/v1/follows/users/${w.target.id}/check` }) },

  listNotifications: {
    sample: () => ({ path: '/v1/notifications' }),
    privateToA: () => [w.notificationForA],
  },
  unreadNotificationCount: { sample: () => ({ path: '/v1/notifications/unread-count' }) },
  markNotificationRead: {
    sample: () => ({ path: `/v1/notifications/${w.notificationForA}/read` }),
    other: OWNER_ONLY,
  },
  markAllNotificationsRead: { sample: () => ({ path: '/v1/notifications/read-all' }) },
  registerPushDevice: {
    sample: () => ({
      path: '/v1/notifications/devices',
      body: { platform: 'ios', token: randomUUID().replaceAll('-', '').repeat(2) },
    }),
  },
  unregisterPushDevice: {
    // A fresh device of A's per column (a successful call removes it).
    sample: async () => ({ path: `/v1/notifications/devices/${await freshDeviceOfA()}` }),
    other: OWNER_ONLY,
  },
  getPushPreferences: { sample: () => ({ path: '/v1/notifications/preferences' }) },
  updatePushPreferences: {
    sample: () => ({ path: '/v1/notifications/preferences', body: { likes: false } }),
  },

  search: { sample: () => ({ path: '/v1/search?q=authz' }) },
  searchUsers: { sample: () => ({ path: '/v1/search/users?q=authz' }) },
  searchVideos: { sample: () => ({ path: '/v1/search/videos?q=authz' }), privateToA: () => [w.privateVideo] },

  trendingHashtags: { sample: () => ({ path: '/v1/hashtags/trending' }) },
  listHashtagVideos: {
    sample: () => ({ path: '/v1/hashtags/authz/videos' }),
    privateToA: () => [w.privateVideo],
  },

  createCharacterUploadUrl: {
    sample: () => ({
      path: '/v1/ai/character-images/upload-url',
      body: { content_type: 'image/jpeg', size_bytes: 1000 },
    }),
  },
  captureFrame: { sample: () => ({ path: '/v1/ai/capture-frame', body: { video_id: w.video, at_ms: 100 } }) },
  'captureFrame (private video)': {
    sample: () => ({ path: '/v1/ai/capture-frame', body: { video_id: w.privateVideo, at_ms: 100 } }),
    other: OWNER_ONLY,
  },
  // B cannot build on A's image, selection or clip: they look missing.
  createTemplate: {
    sample: () => ({
      path: '/v1/ai/template',
      body: { image_asset_id: w.imageOfA, prompt: 'a fox dancing in the rain' },
      cleanup: cancelCreatedJob,
    }),
    other: OWNER_ONLY,
  },
  createGlitchAnimate: {
    sample: () => ({ path: '/v1/ai/glitch/animate', body: glitchBody(), cleanup: cancelCreatedJob }),
    other: OWNER_ONLY,
  },
  createGlitchReplace: {
    sample: () => ({ path: '/v1/ai/glitch/replace', body: glitchBody(), cleanup: cancelCreatedJob }),
    other: OWNER_ONLY,
  },
  createMusic: {
    sample: () => ({ path: '/v1/ai/music', body: { prompt: 'authz lo-fi' }, cleanup: cancelCreatedJob }),
  },
  listJobs: { sample: () => ({ path: '/v1/ai/jobs' }), privateToA: () => [w.jobOfA] },
  getJob: { sample: () => ({ path: `/v1/ai/jobs/${w.jobOfA}` }), other: OWNER_ONLY },
  cancelJob: {
    sample: async () => {
      const id = await freshJobOfA();
      return { path: `/v1/ai/jobs/${id}/cancel`, cleanup: () => cancelAs(w.a.accessToken, id) };
    },
    other: OWNER_ONLY,
  },

  replicateWebhook: {
    sample: () => {
      const signed = signedWebhook();
      return { path: '/v1/webhooks/replicate', raw: signed };
    },
  },
  // The webhook's own authentication is its signature: unsigned is 401 whatever the bearer token.
  'replicateWebhook (unsigned)': {
    sample: () => ({
      path: '/v1/webhooks/replicate',
      raw: {
        body: JSON.stringify({ id: 'x', status: 'processing' }),
        headers: { 'content-type': 'application/json' },
      },
    }),
  },

  listGlitches: { sample: () => ({ path: `/v1/glitch/videos/${w.video}/glitches` }) },
  getGlitchSource: { sample: () => ({ path: `/v1/glitch/videos/${w.video}/source` }) },

  getStudioTimeline: { sample: () => ({ path: `/v1/studio/videos/${w.video}/timeline?count=4` }) },
  'getStudioTimeline (private video)': {
    sample: () => ({ path: `/v1/studio/videos/${w.privateVideo}/timeline?count=4` }),
    other: OWNER_ONLY,
  },
  getStudioPreview: { sample: () => ({ path: `/v1/studio/videos/${w.video}/preview` }) },
  selectStudioRange: {
    sample: () => ({ path: `/v1/studio/videos/${w.video}/select-range`, body: { start_ms: 0, end_ms: 500 } }),
  },
  'selectStudioRange (private video)': {
    sample: () => ({
      path: `/v1/studio/videos/${w.privateVideo}/select-range`,
      body: { start_ms: 0, end_ms: 500 },
    }),
    other: OWNER_ONLY,
  },
  getStudioSelection: {
    sample: () => ({ path: `/v1/studio/selections/${w.selectionOfA}` }),
    other: OWNER_ONLY,
  },

  verifyEmail: {
    sample: async () => {
      const fresh = await registerUser(api, { verified: false });
      invariants.track(fresh.id);
      return { path: '/v1/auth/verify-email', body: { token: linkToken(await lastMailTo(fresh.email)) } };
    },
  },
  // A and B are verified: resending is refused (409), but only after authentication.
  resendVerification: { sample: () => ({ path: '/v1/auth/verify-email/resend' }), own: 409 },
  forgotPassword: {
    sample: () => ({
      path: '/v1/auth/password/forgot',
      body: { email: `nobody_${uniqueSuffix()}@example.test` },
    }),
  },
  resetPassword: {
    sample: async () => {
      const fresh = await registerUser(api);
      invariants.track(fresh.id);
      await api.request('POST', '/v1/auth/password/forgot', { body: { email: fresh.email } });
      const token = linkToken(await lastMailTo(fresh.email));
      return {
        path: '/v1/auth/password/reset',
        body: { token, password: `new-${uniqueSuffix()}-Trickster!` },
      };
    },
  },
  updateProfile: {
    sample: () => ({ path: '/v1/account/profile', body: { bio: `authz ${uniqueSuffix()}` } }),
  },
  createAvatarUploadUrl: {
    sample: () => ({
      path: '/v1/account/avatar/upload-url',
      body: { content_type: 'image/png', size_bytes: 1000 },
    }),
  },
  changePassword: {
    sample: () => ({
      path: '/v1/account/password',
      body: { current_password: 'not-the-password', new_password: 'x-new-Secret-99' },
    }),
    own: 403,
  },
  deleteAccount: {
    sample: () => ({ path: '/v1/account', body: { password: 'not-the-password' } }),
    own: 403,
  },
  createExport: {
    sample: () => ({
      path: '/v1/account/exports',
      // Each column starts clean: the one-a-day limit would answer 429 otherwise.
      cleanup: async (res) => {
        if (res.status === 202)
          await getDb().deleteFrom('account_exports').where('id', '=', res.body.id).execute();
      },
    }),
  },
  getExport: {
    sample: async () => {
      // A finished export from days ago: a queued one of A's would make createExport's [own] cell
      // answer 409 export_in_progress whenever this case's sample ran first (cases run 4 at a time).
      const row = await getDb()
        .insertInto('account_exports')
        .values({
          user_id: w.a.id,
          status: 'failed',
          error: 'authz matrix sample',
          created_at: new Date(Date.now() - 2 * 86_400_000),
          completed_at: new Date(Date.now() - 2 * 86_400_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { path: `/v1/account/exports/${row.id}` };
    },
    other: OWNER_ONLY,
  },
  // The mailed link: no sign-in, the token is the key; it redirects to the zip (fetch follows: 200).
  downloadExport: {
    sample: async () => {
      const token = `tok${uniqueSuffix()}${uniqueSuffix()}${uniqueSuffix()}`;
      const id = randomUUID();
      const key = `exports/${w.a.id}/${id}.zip`;
      await uploadBytes(
        key,
        new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]),
        'application/zip',
      );
      await getDb()
        .insertInto('account_exports')
        .values({
          id,
          user_id: w.a.id,
          status: 'ready',
          object_key: key,
          download_token_hash: hashDownloadToken(token),
          expires_at: new Date(Date.now() + 86_400_000),
          created_at: new Date(Date.now() - 2 * 86_400_000),
        })
        .execute();
      return { path: `/v1/account/exports/${id}/download?token=${token}` };
    },
    own: 200,
  },

  blockUser: {
    sample: () => ({
      path: `/v1/blocks/users/${w.blockee.id}`,
      cleanup: async () => {
        await getDb().deleteFrom('blocks').where('blocked_id', '=', w.blockee.id).execute();
      },
    }),
  },
  unblockUser: { sample: () => ({ path: `/v1/blocks/users/${w.blockee.id}` }) },
  listBlocks: { sample: () => ({ path: '/v1/blocks' }) },
  createReport: {
    sample: () => ({
      path: '/v1/reports',
      body: { target_type: 'user', target_id: w.target.id, reason: 'spam', note: 'authz' },
      // Fresh each column: a repeat of an open report answers 200 instead of 201.
      cleanup: async (res) => {
        if (res.status === 201) await getDb().deleteFrom('reports').where('id', '=', res.body.id).execute();
      },
    }),
  },
  getSafetySettings: { sample: () => ({ path: '/v1/safety/settings' }) },
  updateSafetySettings: { sample: () => ({ path: '/v1/safety/settings', body: { exclude_ai: false } }) },
  detachGlitch: {
    sample: async () => ({ path: `/v1/glitch/videos/${w.video}/glitches/${await freshGlitchOfA()}` }),
    other: OWNER_ONLY,
  },

  getModerationQueue: { sample: () => ({ path: '/v1/moderation/queue' }), other: MODERATORS_ONLY },
  getModeratedVideo: {
    sample: () => ({ path: `/v1/moderation/videos/${w.privateVideo}` }),
    other: MODERATORS_ONLY,
  },
  takeDownVideo: {
    sample: async () => ({
      path: `/v1/moderation/videos/${await freshVideoOfTarget()}/take-down`,
      body: { reason: 'authz takedown' },
    }),
    other: MODERATORS_ONLY,
  },
  restoreVideo: {
    sample: async () => ({
      path: `/v1/moderation/videos/${await freshVideoOfTarget()}/restore`,
      body: { reason: 'authz restore' },
    }),
    other: MODERATORS_ONLY,
  },
  releaseHeldVideo: {
    sample: async () => {
      const id = randomUUID();
      // A held AI output (not counted in video_count, which counts ready videos).
      await getDb()
        .insertInto('videos')
        .values({
          id,
          owner_id: w.target.id,
          status: 'held',
          source_key: `uploads/${w.target.id}/${id}.mp4`,
          content_type: 'video/mp4',
          origin: 'template',
        })
        .execute();
      return { path: `/v1/moderation/videos/${id}/release`, body: { reason: 'authz release' } };
    },
    other: MODERATORS_ONLY,
  },
  takeDownComment: {
    sample: async () => ({
      path: `/v1/moderation/comments/${await freshCommentOfTarget()}/take-down`,
      body: { reason: 'authz takedown' },
    }),
    other: MODERATORS_ONLY,
  },
  restoreComment: {
    sample: async () => ({
      path: `/v1/moderation/comments/${await freshCommentOfTarget()}/restore`,
      body: { reason: 'authz restore' },
    }),
    other: MODERATORS_ONLY,
  },
  suspendUser: {
    sample: async () => ({
      path: `/v1/moderation/users/${(await createUser()).id}/suspend`,
      body: { reason: 'authz suspension' },
    }),
    other: MODERATORS_ONLY,
  },
  unsuspendUser: {
    sample: async () => ({
      path: `/v1/moderation/users/${(await createUser()).id}/unsuspend`,
      body: { reason: 'authz unsuspension' },
    }),
    other: MODERATORS_ONLY,
  },
  dismissReport: {
    sample: async () => {
      const report = await getDb()
        .insertInto('reports')
        .values({ reporter_id: w.b.id, target_type: 'video', target_id: randomUUID(), reason: 'other' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { path: `/v1/moderation/reports/${report.id}/dismiss`, body: { reason: 'authz dismissal' } };
    },
    other: MODERATORS_ONLY,
  },
  addMusicToVideo: {
    sample: () => ({ path: `/v1/studio/videos/${w.musicVideo}/music`, body: musicOnVideo() }),
    other: OWNER_ONLY,
  },
  getSoundtrack: {
    sample: () => ({ path: `/v1/studio/soundtracks/${w.soundtrackOfA}` }),
    other: OWNER_ONLY,
  },
};

/** `name (variant)` → the route `name`. */
const routeOf = (caseName: string) => caseName.replace(/ \(.*\)$/, '') as RouteName;

function successStatus(def: RouteDef): number {
  return def.status ?? (def.response ? 200 : 204);
}

interface Expectation {
  text: string;
  ok: (res: ApiResponse) => boolean;
}

const is =
  (status: number, code?: string): Expectation['ok'] =>
  (res) =>
    res.status === status && (code === undefined || res.body?.error?.code === code);

function expectationFor(caseName: string, column: Column): Expectation {
  const def = routes[routeOf(caseName)] as RouteDef;
  const c = CASES[caseName]!;
  const success = c.own ?? (caseName === 'replicateWebhook (unsigned)' ? 401 : successStatus(def));
  const anonymous = c.anonymous ?? success;
  const other = c.other ?? success;
  const exact = (status: number, code?: string): Expectation => ({
    text: `${status}${code ? ` ${code}` : ''}`,
    ok: is(status, code),
  });
  if (column === 'own') return exact(success);
  if (def.auth === 'none') {
    return exact(success);
  }
  switch (column) {
    case 'none':
      return def.auth === 'required' ? exact(401, 'unauthorized') : exact(anonymous);
    case 'expired':
      return exact(401, 'token_expired');
    case 'tampered':
      return exact(401, 'invalid_token');
    case 'deleted':
      return { text: '<500', ok: (res) => res.status < 500 };
    case 'other': {
      const hidden = c.privateToA?.() ?? [];
      return {
        text: `${other}${hidden.length ? ' w/o A rows' : ''}`,
        ok: (res) => res.status === other && !hidden.some((id) => res.text.includes(id)),
      };
    }
  }
}

beforeAll(async () => {
  const [a, b, target, ghost] = [
    await registerUser(api),
    await registerUser(api),
    await registerUser(api),
    await registerUser(api),
  ];
  invariants.track(a.id, b.id, target.id);
  await setCredits(a.id, 1000);
  await setCredits(b.id, 1000);
  // A moderates (the role is read from the database on every request; B stays a plain user).
  await getDb().updateTable('users').set({ role: 'moderator' }).where('id', '=', a.id).execute();
  const blockee = await createUser();
  const clip = await makeTestVideo({ seconds: 1, width: 320, height: 240 });
  const video = await uploadVideo(api, media, a, clip, { caption: 'authz #authz' });
  const privateVideo = await uploadVideo(api, media, a, clip, {
    caption: 'secret #authz',
    visibility: 'private',
  });
  const commentByA = await api.request('POST', `/v1/comments/videos/${video}`, {
    token: a.accessToken,
    body: { body: 'mine' },
  });
  await api.request('POST', `/v1/comments/videos/${video}`, { token: b.accessToken, body: { body: 'hi A' } });
  const notifications = await api.request('GET', '/v1/notifications', { token: a.accessToken });
  expect(notifications.body.items.length).toBeGreaterThan(0);
  // The deleted account: a real token whose user row is gone.
  await getDb().deleteFrom('users').where('id', '=', ghost.id).execute();
  w = {
    a,
    b,
    target,
    blockee,
    tokens: {
      own: a.accessToken,
      none: undefined,
      expired: await expiredToken(a.id),
      tampered: tamperedToken(a.accessToken),
      deleted: ghost.accessToken,
      other: b.accessToken,
    },
    video,
    privateVideo,
    commentByA: commentByA.body.id,
    notificationForA: notifications.body.items[0].id,
    selectionOfA: await selectRange(api, a, video, 0, 500),
    imageOfA: await uploadCharacterImage(api, a),
    jobOfA: '',
    musicVideo: await uploadVideo(api, media, a, clip, { caption: 'scored #authz' }),
    musicJobOfA: '',
    soundtrackOfA: '',
  };
  w.jobOfA = await freshJobOfA();
  w.musicJobOfA = await finishedMusicOfA();
  const soundtrack = await api.request('POST', `/v1/studio/videos/${w.musicVideo}/music`, {
    token: a.accessToken,
    body: musicOnVideo(),
  });
  expect(soundtrack.status).toBe(202);
  w.soundtrackOfA = soundtrack.body.id;
}, 120_000);

// Runs before the invariant check (hooks run in reverse): no job of this file stays queued.
afterAll(async () => {
  if (w?.jobOfA) await cancelAs(w.a.accessToken, w.jobOfA);
  outputCopies.close();
});

interface Cell {
  column: Column;
  expected: string;
  status: number;
  ok: boolean;
  detail?: string;
}

describe('authorization matrix: every route × {own, none, expired, tampered, deleted account, other user}', () => {
  it('has a case for every route of the table', () => {
    const covered = new Set(Object.keys(CASES).map(routeOf));
    const missing = Object.keys(routes).filter((name) => !covered.has(name as RouteName));
    expect(missing, 'add a case for these routes to test/reliability/authz-matrix.test.ts').toEqual([]);
    const unknown = Object.keys(CASES).filter((name) => !(routeOf(name) in routes));
    expect(unknown, 'cases for routes that no longer exist').toEqual([]);
  });

  it('every cell answers as the route auth mode says', async () => {
    const rows = await mapLimit(Object.keys(CASES), 4, async (caseName) => {
      const def = routes[routeOf(caseName)] as RouteDef;
      const cells: Cell[] = [];
      for (const column of COLUMNS) {
        const expectation = expectationFor(caseName, column);
        const sample = await CASES[caseName]!.sample();
        const token = w.tokens[column];
        const headers: Record<string, string> = { ...sample.raw?.headers };
        if (token) headers.authorization = `Bearer ${token}`;
        const path = sample.path;
        const res = await api.request(def.method, path, {
          headers,
          ...(sample.raw ? { raw: sample.raw.body } : sample.body !== undefined ? { body: sample.body } : {}),
        });
        await sample.cleanup?.(res);
        const ok = expectation.ok(res);
        cells.push({
          column,
          expected: expectation.text,
          status: res.status,
          ok,
          ...(ok ? {} : { detail: res.text.slice(0, 200) }),
        });
      }
      return { caseName, def, cells };
    });

    const known = (caseName: string, c: Cell) => KNOWN_BUG_CELLS.has(`${caseName} [${c.column}]`);
    const failures = rows.flatMap((r) =>
      r.cells.filter((c) => !c.ok && !known(r.caseName, c)).map((c) => ({ ...c, caseName: r.caseName })),
    );
    const fixed = rows.flatMap((r) =>
      r.cells.filter((c) => c.ok && known(r.caseName, c)).map((c) => `${r.caseName} [${c.column}]`),
    );
    const nameWidth = Math.max(...rows.map((r) => r.caseName.length)) + 2;
    const table = [
      `${'route'.padEnd(nameWidth)}${'auth'.padEnd(10)}${COLUMNS.map((c) => c.padEnd(14)).join('')}`,
      ...rows.map(
        (r) =>
          `${r.caseName.padEnd(nameWidth)}${r.def.auth.padEnd(10)}${r.cells
            .map((c) =>
              `${c.ok ? '✓' : known(r.caseName, c) ? '!' : '✗'}${c.status}${c.ok ? '' : `≠${c.expected}`}`.padEnd(
                14,
              ),
            )
            .join('')}`,
      ),
      '',
      ...failures.map(
        (f) => `✗ ${f.caseName} [${f.column}] expected ${f.expected}, got ${f.status}: ${f.detail}`,
      ),
    ].join('\n');
    if (failures.length || fixed.length || process.env.AUTHZ_PRINT) console.log(`${table}\n(! = known bug)`);
    expect(fixed, 'known bugs that no longer reproduce: remove them from KNOWN_BUG_CELLS').toEqual([]);
    expect(
      failures.map((f) => `${f.caseName} [${f.column}] expected ${f.expected}, got ${f.status}`),
      table,
    ).toEqual([]);
  }, 120_000);

  it("a token with another user's subject but A's signature is refused on every authenticated route", async () => {
    // Claims changed, signature kept: the signature no longer matches.
    const [header, payload, signature] = w.a.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: w.b.id })).toString('base64url')}.${signature}`;
    const res = await api.request('GET', '/v1/auth/me', { token: forged });
    expect(res.status).toBe(401);
    const job = await api.request('GET', `/v1/ai/jobs/${randomUUID()}`, { token: forged });
    expect(job.status).toBe(401);
  });

  it('a user cannot act as a moderator: 403 not_moderator, and nothing changes or is audited', async () => {
    const subject = await createUser();
    const [video] = await seedReadyVideos(subject.id, 1);
    const audit = () =>
      getDb().selectFrom('moderation_actions').select('id').where('moderator_id', '=', w.b.id).execute();
    for (const [path, body] of [
      [`/v1/moderation/videos/${video}/take-down`, { reason: 'x', purge_media: true }],
      [`/v1/moderation/users/${subject.id}/suspend`, { reason: 'x' }],
    ] as const) {
      const res = await api.request('POST', path, { token: w.b.accessToken, body });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('not_moderator');
    }
    // A token claiming a role it does not have is refused too: the claim is signed, and the
    // database decides anyway.
    const [header, payload] = w.b.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.x`;
    expect((await api.request('GET', '/v1/moderation/queue', { token: forged })).status).toBe(401);
    const row = await getDb()
      .selectFrom('videos')
      .select('removed_at')
      .where('id', '=', video!)
      .executeTakeFirstOrThrow();
    expect(row.removed_at).toBeNull();
    expect((await api.request('GET', `/v1/users/${subject.id}`)).status).toBe(200);
    expect(await audit()).toEqual([]);
  });

  it("a blocked user sees nothing of the blocker's, on every read route", async () => {
    const blocker = await registerUser(api);
    const blocked = await registerUser(api);
    invariants.track(blocker.id, blocked.id);
    const [video] = await seedReadyVideos(blocker.id, 1, {
      caption: () => `blockedview ${blocker.username}`,
    });
    const [glitch] = await seedReadyVideos(blocker.id, 1);
    await linkGlitchTo(glitch!, w.video);
    await postComments(w.video, blocker.id, ['a comment by the blocker']);
    await api.request('POST', `/v1/follows/users/${w.target.id}`, { token: blocker.accessToken });
    expect(
      (await api.request('POST', `/v1/blocks/users/${blocked.id}`, { token: blocker.accessToken })).status,
    ).toBe(200);
    const t = { token: blocked.accessToken };
    for (const path of [
      `/v1/videos/${video}`,
      `/v1/users/${blocker.id}`,
      `/v1/users/by-username/${blocker.username}`,
    ]) {
      expect((await api.request('GET', path, t)).status, path).toBe(404);
    }
    for (const path of [
      '/v1/videos?limit=50',
      `/v1/search/videos?q=blockedview`,
      `/v1/search/users?q=${blocker.username}`,
      `/v1/search?q=${blocker.username}`,
      `/v1/comments/videos/${w.video}?limit=50`,
      `/v1/glitch/videos/${w.video}/glitches?limit=50`,
      `/v1/follows/users/${w.target.id}/followers?limit=50`,
      '/v1/notifications',
    ]) {
      const res = await api.request('GET', path, t);
      expect(res.status, path).toBe(200);
      expect(res.text, path).not.toContain(blocker.id);
    }
  });

  it('a consent denial spends no credits', async () => {
    const selection = await selectRange(api, w.b, w.video, 0, 500);
    const image = await uploadCharacterImage(api, w.b);
    const state = async () => ({
      ...(await ledgerMatchesBalance(w.b.id)),
      jobs: (await getDb().selectFrom('ai_jobs').select('id').where('user_id', '=', w.b.id).execute()).length,
    });
    await api.request('PATCH', `/v1/videos/${w.video}`, {
      token: w.a.accessToken,
      body: { allow_glitches: false },
    });
    try {
      const before = await state();
      for (const kind of ['animate', 'replace']) {
        const res = await api.request('POST', `/v1/ai/glitch/${kind}`, {
          token: w.b.accessToken,
          body: { source_video_id: w.video, selection_id: selection, character_image_id: image },
        });
        expect(res.status, kind).toBe(403);
        expect(res.body.error.code).toBe('remix_not_allowed');
      }
      expect(await state()).toEqual(before);
    } finally {
      await api.request('PATCH', `/v1/videos/${w.video}`, {
        token: w.a.accessToken,
        body: { allow_glitches: true },
      });
    }
  });
});
