import * as z from 'zod/mini';
import type { RouteDef } from './route.ts';

/**
 * Every error `code` the API answers, with its status and a realistic example. Routes list the
 * codes they can answer (`errors` in their route entry); the OpenAPI document shows them per
 * status, and in tests the error middleware refuses an answer whose code the route does not
 * list (LOKIZ_CHECK_ERROR_DOCS), so the documentation cannot drift from the server.
 * A new code goes here first, then into the routes that answer it.
 */
interface ErrorCodeDoc {
  status: number;
  /** When a client sees it (shown in the response description). */
  meaning: string;
  message: string;
  details?: unknown;
}

export const ERROR_CODES = {
  validation_failed: {
    status: 400,
    meaning: 'a path, query or body field is missing or invalid; `details` lists each problem',
    message: 'Request validation failed',
    details: [
      { in: 'body', path: 'email', code: 'invalid_format', message: 'Must be a valid email address' },
    ],
  },
  invalid_json: { status: 400, meaning: 'the body is not JSON', message: 'Request body is not valid JSON' },
  body_required: { status: 400, meaning: 'the body is empty', message: 'A JSON request body is required' },
  invalid_cursor: {
    status: 400,
    meaning: 'the `cursor` is not one this list gave out',
    message: 'The cursor is not valid; start again without one',
  },
  cannot_follow_self: { status: 400, meaning: 'following yourself', message: 'You cannot follow yourself' },
  cannot_block_self: { status: 400, meaning: 'blocking yourself', message: 'You cannot block yourself' },
  cannot_report_self: {
    status: 400,
    meaning: 'reporting yourself, your own video or your own comment',
    message: 'You cannot report yourself or your own content',
  },
  reply_depth_exceeded: {
    status: 400,
    meaning: 'replying to a reply (replies go to top-level comments)',
    message: 'Replies go to top-level comments; reply to the comment this one answers',
    details: { parent_id: '6f1c2a9e-3b7d-4e2a-9c41-0d5e8b7a2f13' },
  },
  invalid_range: {
    status: 400,
    meaning: '`end_ms` is not after `start_ms`',
    message: 'end_ms must be greater than start_ms',
    details: { start_ms: 4000, end_ms: 1000 },
  },
  range_too_long: {
    status: 400,
    meaning: 'the selection is longer than allowed',
    message: 'A selection can be at most 10 seconds long',
    details: { start_ms: 0, end_ms: 12000, max_length_ms: 10000 },
  },
  invalid_segment: {
    status: 400,
    meaning: '`music_end_ms` is not after `music_start_ms`',
    message: 'music_end_ms must be greater than music_start_ms',
    details: { music_start_ms: 27000, music_end_ms: 12000 },
  },
  segment_too_long: {
    status: 400,
    meaning: 'the music segment is longer than 60 s',
    message: 'A music segment can be at most 60 seconds long',
    details: { music_start_ms: 0, music_end_ms: 75000, max_length_ms: 60000 },
  },
  invalid_prediction: {
    status: 400,
    meaning: 'a correctly signed body that is not a prediction',
    message: 'Webhook body is not a prediction',
  },
  invalid_link: {
    status: 400,
    meaning: 'the mailed link (verification or password reset) is unknown, already used or expired',
    message: 'This link is not valid or has expired',
  },
  unauthorized: {
    status: 401,
    meaning: 'no `Authorization: Bearer <token>` header',
    message: 'Authentication required',
  },
  invalid_token: {
    status: 401,
    meaning: 'the token is malformed, forged, or its account is gone',
    message: 'Invalid access token',
  },
  token_expired: {
    status: 401,
    meaning: 'the access token expired: get a new one from POST /v1/auth/refresh',
    message: 'Access token expired',
  },
  invalid_credentials: {
    status: 401,
    meaning: 'wrong email or password',
    message: 'Email or password is incorrect',
  },
  invalid_refresh_token: {
    status: 401,
    meaning: 'the refresh token is unknown, expired, revoked or was already used',
    message: 'Refresh token was already used; this session has been revoked for safety',
  },
  invalid_signature: {
    status: 401,
    meaning: 'the webhook signature, id or timestamp is missing, wrong or outside ±5 minutes',
    message: 'Invalid webhook signature',
  },
  session_ended: {
    status: 401,
    meaning:
      'the token is valid but its session ended (signed out, password changed or reset, account deleted): sign in again',
    message: 'This session has ended; sign in again',
  },
  insufficient_credits: {
    status: 402,
    meaning: 'the balance is below the cost; `details` has both',
    message: 'This costs 30 credits and you have 10',
    details: { balance: 10, required: 30 },
  },
  email_unverified: {
    status: 403,
    meaning: 'credits unlock when the email is verified: follow the link mailed at sign-up',
    message: 'Verify your email address to use credits',
  },
  not_moderator: {
    status: 403,
    meaning:
      'a moderation route, and your account (checked in the database, not just the token) is not a moderator or admin',
    message: 'Moderators only',
  },
  cannot_moderate_staff: {
    status: 403,
    meaning: 'suspending a moderator or an admin (an admin demotes them first, with `npm run admin`)',
    message: 'Moderators and admins cannot be suspended here',
  },
  account_suspended: {
    status: 403,
    meaning:
      'signing in to an account a moderator suspended, or a like, follow or comment that reached the database after its suspension (its sessions ended with it)',
    message: 'This account is suspended',
    details: { reason: 'spam' },
  },
  remix_not_allowed: {
    status: 403,
    meaning: "the source video's owner does not allow glitches (or frame capture) of it; no credit was spent",
    message: 'The owner of this video does not allow glitches of it',
    details: { video_id: '6f1c2a9e-3b7d-4e2a-9c41-0d5e8b7a2f13', consent: 'allow_glitches' },
  },
  wrong_password: {
    status: 403,
    meaning: 'the current password given to confirm the change is not correct',
    message: 'The current password is not correct',
  },
  forbidden: {
    status: 403,
    meaning:
      "the request did not come through the API's public URL (CloudFront and its WAF): call that URL, not execute-api",
    message: 'Call the API through its public URL',
  },
  not_found: {
    status: 404,
    meaning: 'it does not exist, or is not visible to you (private, unfinished or deleted)',
    message: 'Video not found',
  },
  email_taken: {
    status: 409,
    meaning: 'an account already uses this email',
    message: 'That email is already registered',
    details: { field: 'email' },
  },
  username_taken: {
    status: 409,
    meaning: 'an account already uses this username (case-insensitive)',
    message: 'That username is taken',
    details: { field: 'username' },
  },
  username_change_too_soon: {
    status: 409,
    meaning: 'the username changed less than 30 days ago; `details.next_change_at` says when it can',
    message: 'Your username can change once every 30 days',
    details: { next_change_at: '2026-12-30T09:15:00.000Z' },
  },
  already_verified: {
    status: 409,
    meaning: 'the email address is verified already',
    message: 'Your email address is already verified',
  },
  video_not_ready: {
    status: 409,
    meaning: 'the video is still uploading or processing',
    message: 'The video is not ready yet',
    details: { status: 'processing' },
  },
  music_not_ready: {
    status: 409,
    meaning: 'the music job has not finished (or failed), or its audio is not stored yet',
    message: 'The music is not finished',
    details: { status: 'processing', audio: null },
  },
  soundtrack_in_progress: {
    status: 409,
    meaning: 'other music is being put on this video; `details.soundtrack_id` is the one to watch',
    message: 'Music is already being put on this video; wait until it is done',
    details: { soundtrack_id: 'c3d9e5a2-7b1f-4c8e-a6d0-2f4b9e1c7a35', status: 'processing' },
  },
  idempotency_key_reused: {
    status: 409,
    meaning: 'the `idempotency_key` was used for a different request; `details.soundtrack_id` is that one',
    message: 'This idempotency key was used for a different request',
    details: { soundtrack_id: 'c3d9e5a2-7b1f-4c8e-a6d0-2f4b9e1c7a35' },
  },
  job_finished: {
    status: 409,
    meaning: 'the job already started or finished, so it cannot be canceled',
    message: 'The job has already started',
    details: { status: 'processing' },
  },
  export_in_progress: {
    status: 409,
    meaning: 'an export is already being prepared; `details.export_id` is the one to watch',
    message: 'An export is already being prepared',
    details: { export_id: '8c6e4a2f-0d1b-4f3e-9a7c-5b3d1f9e7a60' },
  },
  reference_gone: {
    status: 409,
    meaning: 'something the request refers to was deleted meanwhile',
    message: 'Something this refers to no longer exists',
  },
  payload_too_large: {
    status: 413,
    meaning: 'the body is larger than this route accepts',
    message: 'Request body exceeds 65536 bytes',
    details: { limit_bytes: 65536 },
  },
  unsupported_media_type: {
    status: 415,
    meaning: 'the body is not sent as `application/json`',
    message: 'Content-Type must be application/json',
  },
  unprocessable: {
    status: 422,
    meaning: 'valid, but not possible for this video',
    message: 'at_ms is past the end of the video (5000 ms)',
    details: { duration_ms: 5000 },
  },
  range_outside_video: {
    status: 422,
    meaning: 'the range is not inside the video, or has no picture',
    message: 'The range must lie within the video (0..5000 ms)',
    details: { start_ms: 4000, end_ms: 7000, duration_ms: 5000 },
  },
  not_music: {
    status: 422,
    meaning: 'the job given as `music_job_id` made no music',
    message: 'That job did not make music',
    details: { kind: 'glitch_animate' },
  },
  music_unusable: {
    status: 422,
    meaning: 'the music file is too large (over 50 MB) or cannot be read as audio',
    message: 'The music file cannot be read',
  },
  segment_outside_music: {
    status: 422,
    meaning: 'the music segment is not inside the music',
    message: 'The segment must lie within the music (0..30000 ms)',
    details: { music_start_ms: 12000, music_end_ms: 42000, music_duration_ms: 30000 },
  },
  offset_outside_video: {
    status: 422,
    meaning: '`offset_ms` is at or past the end of the video',
    message: 'The music must start within the video (0..8399 ms)',
    details: { offset_ms: 9000, duration_ms: 8400 },
  },
  image_not_uploaded: {
    status: 422,
    meaning: 'the character image was never uploaded to its URL',
    message: 'That image has not been uploaded yet',
  },
  image_mismatch: {
    status: 422,
    meaning: 'the uploaded image is not the type or size that was declared',
    message: 'The uploaded image is not what was declared',
  },
  image_unusable: {
    status: 422,
    meaning: 'the uploaded file is not a usable JPEG, PNG or WebP',
    message: 'That image could not be used',
  },
  image_rejected: {
    status: 422,
    meaning:
      'the character image failed content screening (explicit or violent content above the configured confidence); no credit was spent',
    message: 'This image cannot be used: it was flagged as Explicit Nudity',
    details: { labels: [{ name: 'Explicit Nudity', parent: '', confidence: 97.2 }] },
  },
  frame_source_unavailable: {
    status: 422,
    meaning:
      'the image is a frame captured from a video you can no longer see (deleted, made private, taken down, its owner suspended, or a block); no credit was spent',
    message: 'The video this frame was captured from is no longer available',
    details: { video_id: '3f8a2c1e-5b7d-4e9a-8c21-7d4e0b6a9f12' },
  },
  screening_unavailable: {
    status: 503,
    meaning:
      'image screening (Amazon Rekognition) did not answer; nothing was spent, try again (`Retry-After`)',
    message: 'Image screening is unavailable; try again shortly',
  },
  media_removed: {
    status: 409,
    meaning: 'restoring a video whose media a final takedown deleted (`purge_media: true`)',
    message: "This video's media was deleted by its takedown; it cannot be restored",
  },
  too_many_requests: {
    status: 429,
    meaning: 'a per-account limit; `Retry-After` says when to try again',
    message: 'Too many unfinished uploads; finish or wait before starting another',
  },
  login_backoff: {
    status: 429,
    meaning:
      'a sign-in attempt too soon after failed ones for this email: the wait doubles with each failure; `Retry-After` says how long',
    message: 'Too many sign-in attempts: wait before trying again',
    details: { retry_after_seconds: 4 },
  },
  login_locked: {
    status: 429,
    meaning: 'too many failed sign-ins for this email: it is locked for a while; `Retry-After` says how long',
    message: 'Too many failed sign-ins: this account is locked for a while',
    details: { retry_after_seconds: 900 },
  },
  signup_rate_limited: {
    status: 429,
    meaning:
      'too many accounts created from this network in the last hour; `Retry-After` says when to try again',
    message: 'At most 5 accounts can be created from one network per hour',
    details: { retry_after_seconds: 1800 },
  },
  ai_rate_limited: {
    status: 429,
    meaning:
      'too many AI requests from this account in the last minute; `Retry-After` says when to try again',
    message: 'At most 10 AI requests per minute',
    details: { retry_after_seconds: 20 },
  },
  internal_error: {
    status: 500,
    meaning: 'our bug; quote `request_id` when reporting it',
    message: 'Something went wrong on our side',
  },
  database_unavailable: {
    status: 503,
    meaning: 'the database is briefly unreachable; retry after `Retry-After` seconds',
    message: 'The database is unavailable; try again shortly',
  },
  media_timeout: {
    status: 503,
    meaning: 'cutting or reading the video took too long; retry',
    message: 'The video took too long to process; try again',
  },
  push_not_configured: {
    status: 503,
    meaning: 'push to this platform (APNs or FCM) is not set up in this deployment',
    message: 'Push to ios devices is not configured',
  },
} as const satisfies Record<string, ErrorCodeDoc>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The codes a route can answer whatever it does: from parsing (a route with inputs, a list with a
 * cursor), from authentication (by auth mode) and from the platform (500, 503). Routes list only
 * the rest.
 */
export function automaticErrors(def: RouteDef): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (def.params || def.query || (def.body && !def.rawBody)) codes.push('validation_failed');
  // Every keyset-paginated list decodes its cursor (shared/pagination/keyset.ts).
  if (def.query instanceof z.ZodMiniObject && 'cursor' in def.query.shape) codes.push('invalid_cursor');
  if (def.body && !def.rawBody) codes.push('invalid_json', 'body_required', 'unsupported_media_type');
  // Checked before anything else, whatever the route (shared/http/request.ts).
  codes.push('payload_too_large');
  // In AWS, a call that skipped CloudFront (straight to execute-api) is refused first (shared/http/origin.ts).
  codes.push('forbidden');
  if (def.auth === 'required') codes.push('unauthorized');
  // A valid token whose session was revoked or whose account was deleted (shared/auth/sessions.ts).
  if (def.auth !== 'none') codes.push('invalid_token', 'token_expired', 'session_ended');
  // Checked before the handler for routes that spend credits (shared/http/request.ts).
  if (def.spendsCredits) codes.push('email_unverified');
  codes.push('internal_error', 'database_unavailable');
  return codes;
}

/** Every code a route may answer: the automatic ones and those its entry lists. */
export function documentedErrors(def: RouteDef): Set<string> {
  return new Set<string>([...automaticErrors(def), ...(def.errors ?? [])]);
}
