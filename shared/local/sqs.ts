import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type LocalQueueSink, registerLocalQueue } from '../queue/local-registry.ts';

/**
 * An SQS queue with a Lambda event source mapping, in-process: messages are delivered in
 * batches as SQS events to the same worker handler; failed items (partial batch response)
 * or a thrown batch come back after a visibility delay with a higher receive count, and
 * after `maxReceiveCount` receives they move to the dead-letter list, as a redrive policy does.
 */
export interface LocalQueueOptions {
  name: string;
  handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
  batchSize?: number;
  maxReceiveCount?: number;
  /** Delay before a failed message is visible again (multiplied by its receive count). */
  visibilityDelayMs?: number;
  log?: (line: string) => void;
}

interface Message {
  id: string;
  body: string;
  sentAt: number;
  firstReceivedAt?: number;
  receiveCount: number;
}

export class LocalQueue implements LocalQueueSink {
  readonly url: string;
  readonly deadLetters: Array<{ body: string; receiveCount: number }> = [];
  private ready: Message[] = [];
  private pending = new Set<Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();
  /** Messages sent with a delay: not in flight yet, so idle() does not wait for them (as with SQS). */
  private delayed = new Set<NodeJS.Timeout>();
  private scheduled = false;
  private closed = false;

  constructor(private readonly opts: LocalQueueOptions) {
    this.url = `local://${opts.name}`;
    registerLocalQueue(this.url, this);
  }

  send(body: string, delaySeconds = 0): void {
    const message = { id: randomUUID(), body, sentAt: Date.now(), receiveCount: 0 };
    if (delaySeconds <= 0) {
      this.enqueue(message);
      return;
    }
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.enqueue(message);
    }, delaySeconds * 1000);
    this.delayed.add(timer);
  }

  /** True while a message is queued, in flight or waiting to become visible again. */
  get busy(): boolean {
    return this.pending.size > 0 || this.ready.length > 0 || this.timers.size > 0 || this.scheduled;
  }

  /** Resolves once nothing is queued, in flight or waiting to become visible again. */
  async idle(): Promise<void> {
    while (this.busy) {
      await Promise.all([...this.pending]);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.closed = true;
    for (const t of [...this.timers, ...this.delayed]) clearTimeout(t);
    this.timers.clear();
    this.delayed.clear();
  }

  private enqueue(m: Message): void {
    if (this.closed) return;
    this.ready.push(m);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.drain();
      });
    }
  }

  private drain(): void {
    while (this.ready.length) {
      const batch = this.ready.splice(0, this.opts.batchSize ?? 10);
      const p = this.deliver(batch).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  private async deliver(batch: Message[]): Promise<void> {
    const now = Date.now();
    for (const m of batch) {
      m.receiveCount++;
      m.firstReceivedAt ??= now;
    }
    let failed: Set<string>;
    try {
      const res = await this.opts.handler({ Records: batch.map((m) => this.record(m)) });
      failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      this.opts.log?.(`${this.opts.name}: batch failed: ${err instanceof Error ? err.message : String(err)}`);
      failed = new Set(batch.map((m) => m.id));
    }
    for (const m of batch.filter((x) => failed.has(x.id))) {
      if (m.receiveCount >= (this.opts.maxReceiveCount ?? 5)) {
        this.opts.log?.(`${this.opts.name}: message ${m.id} moved to the dead-letter queue`);
        this.deadLetters.push({ body: m.body, receiveCount: m.receiveCount });
        continue;
      }
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          this.enqueue(m);
        },
        (this.opts.visibilityDelayMs ?? 500) * m.receiveCount,
      );
      this.timers.add(timer);
    }
  }

  private record(m: Message): SQSRecord {
    return {
      messageId: m.id,
      receiptHandle: `${m.id}#${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(m.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${this.opts.name}`,
      awsRegion: 'us-east-1',
    };
  }
}
