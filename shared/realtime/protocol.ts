import * as z from 'zod/mini';

/**
 * The live-updates protocol, typed once: the WebSocket API in infra/realtime.ts, the realtime
 * Lambda (functions/realtime/), the local gateway (shared/local/websocket.ts), fan-out and the
 * tests all import it. README "Live updates and push" documents it for client authors.
 *
 * Client → server: `{"action":"ping"}`, `{"action":"renew","token":"<access token>"}`.
 * Server → client: events (`id`, `type`, `created_at`, `data`: ids only) and control messages
 * (`type` + `data`, no `id`).
 */

/** API Gateway routes on this property of a client's JSON message. */
export const ROUTE_SELECTION_EXPRESSION = '$request.body.action';
/** The stage: `wss://<api>.execute-api.<region>.amazonaws.com/live`, `ws://127.0.0.1:3000/live` locally. */
export const LIVE_STAGE = 'live';
export const LIVE_ROUTE_KEYS = ['$connect', '$disconnect', 'ping', 'renew', '$default'] as const;
export type LiveRouteKey = (typeof LIVE_ROUTE_KEYS)[number];
/** Routes whose Lambda answer is sent back to the client (API Gateway route responses). */
export const TWO_WAY_ROUTE_KEYS = ['ping', 'renew', '$default'] as const satisfies readonly LiveRouteKey[];

/** API Gateway's limits for WebSocket APIs (not adjustable); the local gateway enforces the same. */
export const LIVE_LIMITS = {
  idleSeconds: 10 * 60,
  maxConnectionSeconds: 2 * 3600,
  maxMessageBytes: 128 * 1024,
} as const;

/** Open sockets per person: beyond this, $connect answers 429 until one closes or expires. */
export const MAX_CONNECTIONS_PER_USER = 10;

export const RenewMessage = z.object({
  action: z.literal('renew'),
  token: z.string().check(z.minLength(1), z.maxLength(4096)),
});
export type RenewMessage = z.infer<typeof RenewMessage>;

/** Event types a client receives. */
export const LIVE_EVENT_TYPES = [
  'notification.created',
  'ai_job.updated',
  'moderation.report_opened',
] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

export const NotificationCreatedData = z.object({
  notification_id: z.uuid(),
  notification_type: z.string(),
});
export type NotificationCreatedData = z.infer<typeof NotificationCreatedData>;

/** `none` while the job has no result; `pending` until the result is stored (and a video made ready). */
/** `held`: the output's poster frame failed screening; it waits for a moderator (its owner sees it). */
export const JOB_RESULT_STATES = ['none', 'pending', 'ready', 'held', 'failed'] as const;
export type JobResultState = (typeof JOB_RESULT_STATES)[number];

export const AiJobUpdatedData = z.object({
  job_id: z.uuid(),
  status: z.enum(['queued', 'starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted']),
  result: z.enum(JOB_RESULT_STATES),
});
export type AiJobUpdatedData = z.infer<typeof AiJobUpdatedData>;

/**
 * To moderators and admins: someone reported something that had no open report (a new entry in
 * the moderation queue; further reports of it join that entry and send nothing). Live only, no push.
 */
export const ReportOpenedData = z.object({
  report_id: z.uuid(),
  target_type: z.enum(['video', 'comment', 'user']),
  target_id: z.uuid(),
  reason: z.string(),
});
export type ReportOpenedData = z.infer<typeof ReportOpenedData>;

/** Internal (never sent as such): a sign-in was revoked; its sockets get `session.closing` and close. */
export const SessionRevokedData = z.object({ session_id: z.uuid() });
export type SessionRevokedData = z.infer<typeof SessionRevokedData>;

interface LiveEventData {
  'notification.created': NotificationCreatedData;
  'ai_job.updated': AiJobUpdatedData;
  'moderation.report_opened': ReportOpenedData;
}

/**
 * An event; `id` is the outbox row's id: the same on every redelivery, so clients drop ones they
 * have seen. A union discriminated by `type` (LiveEvent<'ai_job.updated'> is one member).
 */
export type LiveEvent<T extends LiveEventType = LiveEventType> = {
  [K in T]: { id: string; type: K; created_at: string; data: LiveEventData[K] };
}[T];

/** Why the server is about to close a socket: `expired` → renew/reconnect with a fresh token; `revoked` → sign in again. */
export type ClosingReason = 'expired' | 'revoked';

export type ControlMessage =
  | { type: 'pong'; data: { expires_at: string } }
  | { type: 'renewed'; data: { expires_at: string } }
  | { type: 'session.closing'; data: { reason: ClosingReason } }
  | { type: 'error'; data: { code: string; message: string } };

export type ServerMessage = LiveEvent | ControlMessage;

/**
 * What API Gateway sends the WebSocket API's Lambda ($connect also carries the handshake's
 * headers and query string), and what the Lambda answers: $connect's status accepts (200) or
 * refuses the handshake; a two-way route's body goes back to the client as one message.
 */
export type WebSocketEvent = import('aws-lambda').APIGatewayProxyWebsocketEventV2 & {
  headers?: Record<string, string | undefined>;
};
export interface WebSocketResult {
  statusCode: number;
  body?: string;
}
