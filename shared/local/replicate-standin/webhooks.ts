import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateWebhookSecret, signWebhook } from '../../ai/webhook-signature.ts';
import type { StandInFaults } from './faults.ts';
import type { StandInPrediction, WebhookRetryOptions } from './types.ts';

/** One HTTP attempt to deliver a webhook, for assertions. */
export interface WebhookDeliveryRecord {
  predictionId: string;
  event: 'start' | 'completed';
  webhookId: string;
  /** 1 for the first attempt of a message; a duplicate delivery starts again at 1. */
  attempt: number;
  status: PredictionStatusAtSend;
  tampered: boolean;
  /** HTTP status of the receiver's response, if any. */
  responseStatus?: number;
  /** Network error, if any. */
  error?: string;
}
type PredictionStatusAtSend = StandInPrediction['status'];

interface Message {
  predictionId: string;
  event: 'start' | 'completed';
  webhookId: string;
  status: PredictionStatusAtSend;
  url: string;
  body: string;
}

interface SenderOptions {
  secret: string;
  faults: StandInFaults;
  retry: Required<WebhookRetryOptions>;
  log(line: string): void;
  /** Registers background work so `idle()` can wait for it. */
  track(work: Promise<unknown>): void;
  /** Aborted on close(): pending retries stop. */
  signal: AbortSignal;
}

/**
 * Delivers Replicate-style webhooks: the prediction JSON, signed per Standard Webhooks, with a webhook-id
 * stable per (prediction, event). Only the terminal (`completed`) webhook is retried, like Replicate.
 */
export class WebhookSender {
  readonly deliveries: WebhookDeliveryRecord[] = [];
  readonly #ids = new Map<string, string>();
  /** `start` deliveries held back by the reorder fault, released after `completed`. */
  readonly #held = new Map<string, () => Promise<void>>();
  /** The last queued delivery per prediction. */
  readonly #chains = new Map<string, Promise<void>>();

  constructor(private readonly options: SenderOptions) {}

  /** Sends the webhook for `event` if the prediction asked for it (no filter: every event). */
  send(prediction: StandInPrediction, event: 'start' | 'completed'): void {
    const { faults, log, track } = this.options;
    // A held-back start goes out after the terminal event, whether or not that one is sent.
    const held = event === 'completed' ? this.#held.get(prediction.id) : undefined;
    this.#held.delete(prediction.id);
    const deliver = this.#prepare(prediction, event);
    if (deliver && event === 'start' && faults.reorderWebhooks) {
      this.#held.set(prediction.id, deliver);
      return;
    }
    if (!deliver && !held) return;
    // One prediction's webhooks go out one after the other (completed waits for start to be answered),
    // so their order is deterministic unless the reorder fault is on.
    const previous = this.#chains.get(prediction.id) ?? Promise.resolve();
    const work = previous.then(async () => {
      await deliver?.();
      if (held) {
        log(`webhook start for ${prediction.id} delivered after completed (fault: reorderWebhooks)`);
        await held();
      }
    });
    this.#chains.set(prediction.id, work);
    const forget = () => {
      if (this.#chains.get(prediction.id) === work) this.#chains.delete(prediction.id);
    };
    work.then(forget, forget);
    track(work);
  }

  /** The delivery of one message (and its duplicate), or undefined if not requested or dropped. */
  #prepare(prediction: StandInPrediction, event: 'start' | 'completed'): (() => Promise<void>) | undefined {
    const { webhook, webhook_events_filter: filter } = prediction;
    if (!webhook || (filter && !filter.includes(event))) return undefined;
    if (this.options.faults.dropWebhooks) {
      this.options.log(`webhook ${event} for ${prediction.id} dropped (fault: dropWebhooks)`);
      return undefined;
    }
    const key = `${prediction.id}:${event}`;
    let webhookId = this.#ids.get(key);
    if (!webhookId) {
      webhookId = `msg_standin_${randomBytes(12).toString('hex')}`;
      this.#ids.set(key, webhookId);
    }
    // The body is the prediction as it is now; retries resend this same snapshot.
    const message: Message = {
      predictionId: prediction.id,
      event,
      webhookId,
      status: prediction.status,
      url: webhook,
      body: JSON.stringify(prediction),
    };
    const copies = this.options.faults.duplicateWebhooks ? 2 : 1;
    return async () => {
      for (let copy = 0; copy < copies; copy++) await this.#deliver(message);
    };
  }

  async #deliver(message: Message): Promise<void> {
    const { secret, faults, retry, log, signal } = this.options;
    const attempts = message.event === 'completed' ? retry.attempts : 1;
    for (let attempt = 1; attempt <= attempts && !signal.aborted; attempt++) {
      if (attempt > 1) {
        try {
          await sleep(retry.initialDelayMs * 2 ** (attempt - 2), undefined, { signal });
        } catch {
          return;
        }
      }
      const timestamp = Math.floor(Date.now() / 1000);
      const tampered = faults.takeTamper();
      const signature = signWebhook({
        secret: tampered ? generateWebhookSecret() : secret,
        webhookId: message.webhookId,
        timestamp,
        rawBody: message.body,
      });
      const record: WebhookDeliveryRecord = {
        predictionId: message.predictionId,
        event: message.event,
        webhookId: message.webhookId,
        attempt,
        status: message.status,
        tampered,
      };
      this.deliveries.push(record);
      try {
        const response = await fetch(message.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'replicate-standin (offline stand-in, not Replicate)',
            'webhook-id': message.webhookId,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signature,
          },
          body: message.body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(retry.timeoutMs)]),
        });
        record.responseStatus = response.status;
        await response.body?.cancel();
        const what = `webhook ${message.event} (${message.status}) for ${message.predictionId} attempt ${attempt}${tampered ? ' [tampered signature]' : ''}`;
        if (response.ok) {
          log(`${what} → ${response.status}`);
          return;
        }
        log(`${what} → ${response.status}${attempt < attempts ? ', will retry' : ''}`);
      } catch (err) {
        record.error = (err as Error).message;
        log(
          `webhook ${message.event} for ${message.predictionId} attempt ${attempt} failed: ${record.error}`,
        );
      }
    }
    if (!signal.aborted) {
      log(`webhook ${message.event} for ${message.predictionId} given up after ${attempts} attempt(s)`);
    }
  }
}
