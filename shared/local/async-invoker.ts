import type { Context } from 'aws-lambda';
import { localLambdaContext, newRequestId, runInvocation } from './invocation.ts';

/**
 * Lambda's asynchronous invocation, locally: the event is handed over, the caller does not
 * wait, a failed invocation is retried twice with a pause, and what still fails goes to an
 * on-failure list (AWS: the function's on-failure destination / DLQ). Tests await `idle()`.
 */
export interface DeadLetter {
  target: string;
  event: unknown;
  error: string;
}

export class AsyncInvoker {
  readonly deadLetters: DeadLetter[] = [];
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly opts: { retries?: number; retryDelayMs?: number; log?: (line: string) => void } = {},
  ) {}

  /** Each attempt is its own invocation, with its own request id (as Lambda's retries are). */
  invoke<E>(target: string, handler: (event: E, context: Context) => Promise<unknown>, event: E): void {
    const run = async () => {
      const attempts = 1 + (this.opts.retries ?? 2);
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const requestId = newRequestId();
          await runInvocation(requestId, () =>
            handler(event, localLambdaContext(target, requestId, 120_000)),
          );
          return;
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          this.opts.log?.(`${target} failed (attempt ${attempt}/${attempts}): ${message}`);
          if (attempt === attempts) this.deadLetters.push({ target, event, error: message });
          else await new Promise((r) => setTimeout(r, this.opts.retryDelayMs ?? 1000));
        }
      }
    };
    const p = run().finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** True while an invocation (or one of its retries) is running or waiting to retry. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Resolves when every invocation started so far (and any they started) has finished. */
  async idle(): Promise<void> {
    while (this.busy) await Promise.all([...this.inFlight]);
  }
}
