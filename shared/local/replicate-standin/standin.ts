import { setMaxListeners } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { generateWebhookSecret } from '../../ai/webhook-signature.ts';
import { StandInFaults } from './faults.ts';
import { bearerToken, HttpError, notFound, preferWaitSeconds, readJsonObject, sendJson } from './http.ts';
import { findModel, findModelByVersion, standInVersionId, validateInput } from './models/index.ts';
import { PredictionStore } from './predictions.ts';
import {
  type InvalidField,
  LOG_PREFIX,
  type ReplicateStandInOptions,
  type StandInModel,
  type StandInPrediction,
  WEBHOOK_EVENTS,
  type WebhookEvent,
} from './types.ts';
import { type WebhookDeliveryRecord, WebhookSender } from './webhooks.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.wav': 'audio/wav',
};

/** One HTTP request the stand-in answered, for assertions (e.g. how often the client retried). */
export interface StandInRequestRecord {
  method: string;
  path: string;
  status: number;
}

/**
 * OFFLINE STAND-IN for Replicate's prediction API (NOT Replicate): a local HTTP server that the official
 * `replicate` client (1.4.0) can use via `new Replicate({ auth, baseUrl: standin.url + '/v1' })`. Outputs
 * are real, small media made by the bundled ffmpeg; webhooks are signed like Replicate's. See README.md.
 */
export class ReplicateStandIn {
  readonly faults = new StandInFaults();
  /** Every HTTP request answered, in order. */
  readonly requests: StandInRequestRecord[] = [];

  #options: ReplicateStandInOptions;
  #secret: string;
  #server?: Server;
  #url?: string;
  #dataDir?: string;
  #ownsDataDir = false;
  #closing = ReplicateStandIn.#closingController();
  #webhooks?: WebhookSender;
  #store?: PredictionStore;
  readonly #pending = new Set<Promise<unknown>>();

  /**
   * One signal cancels every pending delivery, retry pause and model run at close: a busy stand-in
   * has many waiting at once (each removes its listener when done), which is not a leak.
   */
  static #closingController(): AbortController {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  }

  constructor(options: ReplicateStandInOptions = {}) {
    this.#options = options;
    this.#secret = options.webhookSecret ?? generateWebhookSecret();
  }

  /** Starts listening on 127.0.0.1 (options here override the constructor's). */
  async start(overrides: ReplicateStandInOptions = {}): Promise<{ url: string }> {
    if (this.#server) throw new Error(`${LOG_PREFIX} already started`);
    this.#options = { ...this.#options, ...overrides };
    if (overrides.webhookSecret) this.#secret = overrides.webhookSecret;
    const { retry } = this.#settings();
    this.#webhooks = new WebhookSender({
      secret: this.#secret,
      faults: this.faults,
      retry,
      log: (line) => this.#log(line),
      track: (work) => this.#track(work),
      signal: this.#closing.signal,
    });
    if (this.#options.dataDir) {
      this.#dataDir = this.#options.dataDir;
      await mkdir(this.#dataDir, { recursive: true });
    } else {
      this.#dataDir = await mkdtemp(join(tmpdir(), 'replicate-standin-'));
      this.#ownsDataDir = true;
    }
    await mkdir(join(this.#dataDir, 'outputs'), { recursive: true });
    this.#store = new PredictionStore({
      faults: this.faults,
      webhooks: this.#webhooks,
      dataDir: this.#dataDir,
      publicBase: () => this.#publicBase(),
      log: (line) => this.#log(line),
      track: (work) => this.#track(work),
      maxConcurrent: this.#options.maxConcurrent ?? 2,
      closing: this.#closing.signal,
    });

    const server = createServer((req, res) => {
      this.#handle(req, res).catch((err) => {
        this.#log(`internal error: ${(err as Error).stack ?? err}`);
        if (!res.headersSent) sendJson(res, 500, { detail: 'Internal error in the offline stand-in.' });
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error(`${LOG_PREFIX} no listening address`);
    this.#url = `http://127.0.0.1:${address.port}`;
    this.#log(
      `listening on ${this.#url} — predictions are made locally with ffmpeg; use baseUrl ${this.#url}/v1`,
    );
    return { url: this.#url };
  }

  /** The listening address, e.g. `http://127.0.0.1:54321` (the API is under `/v1`). */
  get url(): string {
    if (!this.#url) throw new Error(`${LOG_PREFIX} not started`);
    return this.#url;
  }

  /** The `whsec_…` secret webhooks are signed with. */
  get webhookSecret(): string {
    return this.#secret;
  }

  /** Successful creates (201): assert "never two predictions for one job" with it. */
  get createCount(): number {
    return this.#store?.createCount ?? 0;
  }

  /** Copies of all predictions by id, in creation order. */
  get predictions(): ReadonlyMap<string, StandInPrediction> {
    return new Map((this.#store?.all() ?? []).map((p) => [p.id, structuredClone(p)]));
  }

  /** Every webhook HTTP attempt, in order. */
  get webhookDeliveries(): readonly WebhookDeliveryRecord[] {
    return this.#webhooks?.deliveries ?? [];
  }

  /** The made-up version id the stand-in gives a model (for `predictions.create({ version })`). */
  versionOf(model: string): string {
    if (!findModel(model)) throw new Error(`${LOG_PREFIX} does not know model ${model}`);
    return standInVersionId(model);
  }

  /** Like Replicate deleting files after an hour: `/files/...` answer 404, predictions get `data_removed`. */
  async expireOutputs(): Promise<void> {
    await this.#store?.expireOutputs();
    this.#log('outputs expired (as Replicate deletes them after about an hour)');
  }

  /** True while a prediction is being processed or a webhook delivery is pending. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** Resolves once no prediction is being processed and no webhook delivery is pending. */
  async idle(): Promise<void> {
    while (this.busy) await Promise.allSettled([...this.#pending]);
  }

  /** Stops the server, aborts running work and pending webhook retries, removes its temp folder. */
  async close(): Promise<void> {
    this.#closing.abort();
    this.#store?.abortAll();
    const server = this.#server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.idle();
    if (this.#ownsDataDir && this.#dataDir) await rm(this.#dataDir, { recursive: true, force: true });
    this.#server = undefined;
    this.#log('closed');
  }

  // ---------------------------------------------------------------- HTTP

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://standin.invalid').pathname;
    res.on('finish', () => {
      this.requests.push({ method, path, status: res.statusCode });
      if (method !== 'GET' || res.statusCode >= 400) this.#log(`${method} ${path} → ${res.statusCode}`);
    });
    try {
      const file = /^\/files\/([^/]+)$/.exec(path);
      if (file && (method === 'GET' || method === 'HEAD'))
        return await this.#serveFile(file[1]!, method, res);
      if (path === '/v1' || path.startsWith('/v1/')) return await this.#api(req, res, method, path.slice(3));
      const web = /^\/p\/([a-z0-9]+)$/.exec(path);
      if (web && method === 'GET') return sendJson(res, 200, this.#get(web[1]!));
      throw notFound();
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      sendJson(res, err.status, err.body, err.headers);
    }
  }

  async #api(req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<void> {
    const token = bearerToken(req);
    if (!token || (this.#options.apiToken !== undefined && token !== this.#options.apiToken)) {
      throw new HttpError(401, {
        title: 'Unauthenticated',
        detail: 'You did not pass a valid authentication token',
        status: 401,
      });
    }
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) throw new HttpError(405, { detail: `Method "${method}" not allowed.` });
    };

    const byModel = /^\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(path);
    if (byModel) {
      allow('POST');
      return this.#create(req, res, { model: `${byModel[1]}/${byModel[2]}` });
    }
    if (path === '/predictions') {
      allow('GET', 'POST');
      if (method === 'POST') return this.#create(req, res, {});
      return sendJson(res, 200, this.#list(req));
    }
    const one = /^\/predictions\/([^/]+)$/.exec(path);
    if (one) {
      allow('GET');
      return sendJson(res, 200, this.#get(one[1]!));
    }
    const cancel = /^\/predictions\/([^/]+)\/cancel$/.exec(path);
    if (cancel) {
      allow('POST');
      return sendJson(res, 200, this.#cancel(cancel[1]!));
    }
    throw notFound();
  }

  async #create(req: IncomingMessage, res: ServerResponse, route: { model?: string }): Promise<void> {
    const retryAfter = this.faults.takeRateLimit();
    if (retryAfter !== undefined) {
      throw new HttpError(
        429,
        {
          title: 'Request was throttled',
          detail: `Request was throttled (offline stand-in fault). Expected available in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`,
          status: 429,
        },
        { 'retry-after': String(retryAfter) },
      );
    }
    if (this.faults.takeServerError()) {
      throw new HttpError(500, {
        detail: 'Internal server error (injected by the offline stand-in).',
        status: 500,
      });
    }
    const body = await readJsonObject(req);

    let model: StandInModel | undefined;
    if (route.model) {
      model = findModel(route.model);
      if (!model) throw notFound();
    } else {
      if (typeof body.version !== 'string') {
        throw inputInvalid([{ type: 'required', field: '(root)', description: 'version is required' }]);
      }
      model = findModelByVersion(body.version);
      if (!model) {
        throw new HttpError(422, {
          title: 'Invalid version',
          detail: 'Invalid version or not permitted.',
          status: 422,
        });
      }
    }

    if (this.faults.takeInvalidInput()) {
      throw inputInvalid([
        {
          type: 'invalid',
          field: 'input',
          description: 'input rejected (offline stand-in fault: invalidInputNext)',
        },
      ]);
    }
    const problems = validateInput(model, body.input);
    const webhook = body.webhook;
    if (webhook !== undefined && webhook !== null && !isHttpUrl(webhook)) {
      problems.push({ type: 'format', field: 'webhook', description: "Does not match format 'uri'" });
    }
    const filter = body.webhook_events_filter;
    if (
      filter !== undefined &&
      filter !== null &&
      !(Array.isArray(filter) && filter.every((e) => WEBHOOK_EVENTS.includes(e as WebhookEvent)))
    ) {
      problems.push({
        type: 'enum',
        field: 'webhook_events_filter',
        description: `Must be a list of: ${WEBHOOK_EVENTS.join(', ')}`,
      });
    }
    if (problems.length > 0) throw inputInvalid(problems);

    const prediction = this.#requireStore().create(model, body.input as Record<string, unknown>, {
      webhook: typeof webhook === 'string' ? webhook : undefined,
      filter: Array.isArray(filter) ? (filter as WebhookEvent[]) : undefined,
    });
    const waitSeconds = preferWaitSeconds(req);
    if (waitSeconds !== undefined) await this.#requireStore().waitDone(prediction.id, waitSeconds);
    sendJson(res, 201, prediction);
  }

  #get(id: string): StandInPrediction {
    const prediction = this.#requireStore().get(id);
    if (!prediction) throw notFound();
    return prediction;
  }

  #list(req: IncomingMessage): {
    next: string | null;
    previous: string | null;
    results: StandInPrediction[];
  } {
    const pageSize = this.#options.listPageSize ?? 100;
    const cursor = new URL(req.url ?? '/', 'http://standin.invalid').searchParams.get('cursor');
    const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new HttpError(400, { detail: 'Invalid cursor.' });
    const newestFirst = this.#requireStore().all().reverse();
    const page = (at: number) =>
      `${this.#publicBase()}/v1/predictions?cursor=${Buffer.from(String(at)).toString('base64url')}`;
    return {
      next: offset + pageSize < newestFirst.length ? page(offset + pageSize) : null,
      previous: offset > 0 ? page(Math.max(0, offset - pageSize)) : null,
      results: newestFirst.slice(offset, offset + pageSize),
    };
  }

  #cancel(id: string): StandInPrediction {
    const prediction = this.#get(id);
    this.#requireStore().cancel(prediction);
    return prediction;
  }

  async #serveFile(name: string, method: string, res: ServerResponse): Promise<void> {
    const path = this.#requireStore().outputFile(name);
    if (!path) throw notFound();
    const { size } = await stat(path);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
      'content-length': size,
      'x-replicate-standin': 'offline stand-in, not Replicate',
    });
    if (method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      createReadStream(path).on('error', reject).pipe(res).on('finish', resolve).on('error', reject);
    });
  }

  // ---------------------------------------------------------------- helpers

  #settings() {
    const retry = this.#options.webhookRetry ?? {};
    return {
      retry: {
        attempts: retry.attempts ?? 5,
        initialDelayMs: retry.initialDelayMs ?? 200,
        timeoutMs: retry.timeoutMs ?? 5000,
      },
    };
  }

  #publicBase(): string {
    return (this.#options.publicBaseUrl ?? this.url).replace(/\/+$/, '');
  }

  #track(work: Promise<unknown>): void {
    const tracked = work.catch((err) => this.#log(`background error: ${(err as Error).stack ?? err}`));
    this.#pending.add(tracked);
    tracked.finally(() => this.#pending.delete(tracked));
  }

  #requireStore(): PredictionStore {
    if (!this.#store) throw new Error(`${LOG_PREFIX} not started`);
    return this.#store;
  }

  #log(line: string): void {
    (this.#options.log ?? console.log)(`${LOG_PREFIX} ${line}`);
  }
}

/** Creates and starts a stand-in. */
export async function startReplicateStandIn(
  options: ReplicateStandInOptions = {},
): Promise<ReplicateStandIn> {
  const standIn = new ReplicateStandIn(options);
  await standIn.start();
  return standIn;
}

function inputInvalid(fields: InvalidField[]): HttpError {
  return new HttpError(422, {
    detail: fields.map((f) => `- ${f.field}: ${f.description}\n`).join(''),
    status: 422,
    title: 'Input validation failed',
    invalid_fields: fields,
  });
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
