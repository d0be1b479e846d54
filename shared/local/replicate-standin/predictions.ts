import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StandInFaults } from './faults.ts';
import { standInVersionId } from './models/index.ts';
import {
  type PredictionStatus,
  type StandInModel,
  type StandInPrediction,
  TERMINAL_STATUSES,
  type WebhookEvent,
} from './types.ts';
import type { WebhookSender } from './webhooks.ts';

interface Run {
  model: StandInModel;
  abort: AbortController;
  /** Set by failNextPredictions at create time. */
  injectedFailure?: string;
  done: Promise<void>;
  markDone(): void;
}

interface StoreOptions {
  faults: StandInFaults;
  webhooks: WebhookSender;
  /** Holds `outputs/` and per-prediction work folders. */
  dataDir: string;
  publicBase(): string;
  log(line: string): void;
  track(work: Promise<unknown>): void;
  maxConcurrent: number;
  closing: AbortSignal;
}

/**
 * The stand-in's predictions and their lifecycle: starting → processing (start webhook) → ffmpeg →
 * succeeded | failed (completed webhook), or canceled at any point. At most `maxConcurrent` run at once;
 * the others wait in `starting`, like Replicate's queue.
 */
export class PredictionStore {
  readonly #predictions = new Map<string, StandInPrediction>();
  readonly #runs = new Map<string, Run>();
  readonly #outputs = new Map<string, { path: string; expired: boolean }>();
  readonly #slotWaiters: Array<() => void> = [];
  #running = 0;
  #createCount = 0;

  constructor(private readonly options: StoreOptions) {}

  get createCount(): number {
    return this.#createCount;
  }

  get(id: string): StandInPrediction | undefined {
    return this.#predictions.get(id);
  }

  /** In creation order. */
  all(): StandInPrediction[] {
    return [...this.#predictions.values()];
  }

  create(
    model: StandInModel,
    input: Record<string, unknown>,
    hook: { webhook?: string; filter?: WebhookEvent[] },
  ): StandInPrediction {
    const id = newPredictionId();
    const base = this.options.publicBase();
    const prediction: StandInPrediction = {
      id,
      model: model.name,
      version: standInVersionId(model.name),
      input,
      logs: '',
      output: null,
      data_removed: false,
      error: null,
      status: 'starting',
      source: 'api',
      created_at: new Date().toISOString(),
      started_at: null,
      completed_at: null,
      urls: {
        get: `${base}/v1/predictions/${id}`,
        cancel: `${base}/v1/predictions/${id}/cancel`,
        web: `${base}/p/${id}`,
      },
      metrics: {},
      ...(hook.webhook ? { webhook: hook.webhook } : {}),
      ...(hook.webhook && hook.filter ? { webhook_events_filter: hook.filter } : {}),
    };
    this.#predictions.set(id, prediction);
    this.#createCount += 1;
    let markDone = () => {};
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    const injectedFailure = this.options.faults.takeFailure();
    this.#runs.set(id, { model, abort: new AbortController(), injectedFailure, done, markDone });
    this.options.log(`created prediction ${id} (${model.name}), status starting`);
    this.options.track(this.#process(prediction));
    return prediction;
  }

  /** Resolves when the prediction is terminal, or after `seconds` (for `Prefer: wait`). */
  async waitDone(id: string, seconds: number): Promise<void> {
    const run = this.#runs.get(id);
    if (run) await Promise.race([run.done, sleep(seconds * 1000, undefined, { ref: false })]);
  }

  cancel(prediction: StandInPrediction): void {
    if (TERMINAL_STATUSES.has(prediction.status)) return;
    this.#runs.get(prediction.id)?.abort.abort();
    this.#finish(prediction, 'canceled', {});
  }

  /** Path of a generated output by file name, unless unknown or expired. */
  outputFile(name: string): string | undefined {
    const output = this.#outputs.get(name);
    return output && !output.expired ? output.path : undefined;
  }

  async expireOutputs(): Promise<void> {
    for (const output of this.#outputs.values()) {
      output.expired = true;
      await rm(output.path, { force: true });
    }
    for (const prediction of this.#predictions.values()) {
      if (TERMINAL_STATUSES.has(prediction.status)) prediction.data_removed = true;
    }
  }

  /** Kills running ffmpeg processes (on close). */
  abortAll(): void {
    for (const run of this.#runs.values()) run.abort.abort();
  }

  async #process(prediction: StandInPrediction): Promise<void> {
    const { faults, webhooks, dataDir, closing } = this.options;
    const run = this.#runs.get(prediction.id)!;
    const { signal } = run.abort;
    // Let the 201 go out first: the client always sees `starting`.
    await new Promise((resolve) => setImmediate(resolve));
    const release = await this.#acquireSlot();
    let workDir: string | undefined;
    try {
      if (prediction.status !== 'starting' || closing.aborted) return;
      prediction.status = 'processing';
      prediction.started_at = new Date().toISOString();
      appendLog(prediction, `offline stand-in (not Replicate) running ${prediction.model}`);
      this.options.log(`prediction ${prediction.id} processing`);
      webhooks.send(prediction, 'start');

      if (faults.delayMs > 0) await sleep(faults.delayMs, undefined, { signal });
      if (run.injectedFailure !== undefined) {
        this.#finish(prediction, 'failed', { error: run.injectedFailure });
        return;
      }
      workDir = await mkdtemp(join(dataDir, `work-${prediction.id}-`));
      const outputPath = await run.model.run({
        input: prediction.input,
        workDir,
        outputBase: join(dataDir, 'outputs', `${prediction.id}-output`),
        signal,
        log: (line) => appendLog(prediction, line),
      });
      if (prediction.status !== 'processing') return; // canceled meanwhile
      const name = basename(outputPath);
      this.#outputs.set(name, { path: outputPath, expired: false });
      this.#finish(prediction, 'succeeded', { output: `${this.options.publicBase()}/files/${name}` });
    } catch (err) {
      // Canceled (abort) or the stand-in is closing: nothing more to report.
      if (TERMINAL_STATUSES.has(prediction.status) || closing.aborted) return;
      this.#finish(prediction, 'failed', { error: (err as Error).message || String(err) });
    } finally {
      release();
      run.markDone();
      if (workDir) await rm(workDir, { recursive: true, force: true });
    }
  }

  #finish(
    prediction: StandInPrediction,
    status: Extract<PredictionStatus, 'succeeded' | 'failed' | 'canceled'>,
    result: { output?: string; error?: string },
  ): void {
    const completed = new Date();
    prediction.status = status;
    prediction.completed_at = completed.toISOString();
    if (result.output !== undefined) prediction.output = result.output;
    if (result.error !== undefined) {
      prediction.error = result.error;
      appendLog(prediction, `error: ${result.error}`);
    }
    const secondsSince = (iso: string) => Math.round(completed.getTime() - Date.parse(iso)) / 1000;
    prediction.metrics = {
      ...(prediction.started_at ? { predict_time: secondsSince(prediction.started_at) } : {}),
      total_time: secondsSince(prediction.created_at),
    };
    this.options.log(`prediction ${prediction.id} ${status}${result.error ? `: ${result.error}` : ''}`);
    this.#runs.get(prediction.id)?.markDone();
    this.options.webhooks.send(prediction, 'completed');
  }

  async #acquireSlot(): Promise<() => void> {
    const max = Math.max(1, this.options.maxConcurrent);
    while (this.#running >= max) await new Promise<void>((resolve) => this.#slotWaiters.push(resolve));
    this.#running += 1;
    return () => {
      this.#running -= 1;
      this.#slotWaiters.shift()?.();
    };
  }
}

function appendLog(prediction: StandInPrediction, line: string): void {
  prediction.logs += `${line}\n`;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 26 lowercase base32 characters, like Replicate's prediction ids. */
function newPredictionId(): string {
  let id = '';
  for (const byte of randomBytes(26)) id += BASE32[byte & 31];
  return id;
}
