/** Shapes of Replicate's prediction API, as the offline stand-in serves them. */

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';

export type WebhookEvent = 'start' | 'output' | 'logs' | 'completed';
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['start', 'output', 'logs', 'completed'];

export const TERMINAL_STATUSES: ReadonlySet<PredictionStatus> = new Set([
  'succeeded',
  'failed',
  'canceled',
  'aborted',
]);

/** A prediction object, modelled on `GET /v1/predictions/{id}` (see test/fixtures/replicate/). */
export interface StandInPrediction {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  logs: string;
  output: unknown;
  data_removed: boolean;
  error: string | null;
  status: PredictionStatus;
  source: 'api';
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  urls: { get: string; cancel: string; web: string; stream?: string };
  metrics: { predict_time?: number; total_time?: number };
  webhook?: string;
  webhook_events_filter?: WebhookEvent[];
}

/** One entry of Replicate's 422 `invalid_fields`. */
export interface InvalidField {
  type: string;
  field: string;
  description: string;
}

/** What a model run gets: validated input, a scratch folder, and where to write its one output file. */
export interface ModelRunContext {
  input: Record<string, unknown>;
  workDir: string;
  /** Output path without extension; the model picks the extension. */
  outputBase: string;
  signal: AbortSignal;
  log(line: string): void;
}

/** A model the stand-in knows: its input schema (the parts it checks) and an ffmpeg recipe. */
export interface StandInModel {
  /** `owner/name`. */
  name: string;
  /** Inputs that must be present. */
  required: readonly string[];
  /** Inputs that must be URLs (http, https or data:) when present. */
  uriInputs: readonly string[];
  /** Expected JSON types of other known inputs (unknown inputs are ignored, like Replicate does). */
  types: Readonly<Record<string, 'string' | 'number' | 'integer' | 'boolean'>>;
  /** Runs ffmpeg and returns the path of the written output file. */
  run(ctx: ModelRunContext): Promise<string>;
}

export interface WebhookRetryOptions {
  /** Attempts for a terminal (`completed`) webhook, the first included. Default 5. */
  attempts?: number;
  /** Delay before the 2nd attempt, doubled each time. Default 200 ms. */
  initialDelayMs?: number;
  /** Per-attempt request timeout. Default 5000 ms. */
  timeoutMs?: number;
}

export interface ReplicateStandInOptions {
  /** Default 0 (any free port). Always on 127.0.0.1. */
  port?: number;
  /** `whsec_…` secret the webhooks are signed with. Default: a new random one (see `webhookSecret`). */
  webhookSecret?: string;
  /** Base URL written into urls and output URLs, if not the listening address (e.g. behind a proxy). */
  publicBaseUrl?: string;
  /** Where the log lines go (each already prefixed). Default console.log; pass `() => {}` to silence. */
  log?: (line: string) => void;
  /** If set, only this token is accepted; otherwise any non-empty Bearer token. */
  apiToken?: string;
  /** Folder for downloaded inputs and generated outputs. Default: a new temp folder, removed on close(). */
  dataDir?: string;
  /** Predictions processed at once; the others wait in `starting`, like Replicate's queue. Default 2. */
  maxConcurrent?: number;
  /** Page size of `GET /v1/predictions`. Default 100. */
  listPageSize?: number;
  webhookRetry?: WebhookRetryOptions;
}

export const LOG_PREFIX = '[replicate-standin] (offline stand-in, not Replicate)';
