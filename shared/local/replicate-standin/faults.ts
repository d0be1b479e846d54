type Counter = 'rateLimit' | 'serverError' | 'invalidInput' | 'fail' | 'tamper';

const DEFAULT_FAILURE = 'offline stand-in: injected prediction failure';

/**
 * Fault injection for the offline Replicate stand-in. Counted faults apply to the next `n` occurrences
 * (pass `Infinity` for "until reset()"); switches stay on until turned off or reset().
 */
export class StandInFaults {
  readonly #left = new Map<Counter, number>();
  #retryAfterSeconds = 1;
  #failError = DEFAULT_FAILURE;

  /** Processing time added to every prediction (ms), before the ffmpeg run. Cancel interrupts it. */
  delayMs = 0;
  /** Deliver every webhook twice, with the same webhook-id (as Replicate may on retries). */
  duplicateWebhooks = false;
  /** Hold each prediction's `start` webhook and deliver it after the `completed` one. */
  reorderWebhooks = false;
  /** Never call back (an outage longer than Replicate's retries): only polling GET finds the result. */
  dropWebhooks = false;

  /** The next `n` create requests (each HTTP attempt, client retries included) get 429 + Retry-After. */
  rateLimitCreates(n = 1, retryAfterSeconds = 1): this {
    this.#retryAfterSeconds = retryAfterSeconds;
    return this.#set('rateLimit', n);
  }

  /** The next `n` create requests get 500. */
  serverErrorCreates(n = 1): this {
    return this.#set('serverError', n);
  }

  /** The next `n` create requests get 422 "Input validation failed", whatever their input. */
  invalidInputNext(n = 1): this {
    return this.#set('invalidInput', n);
  }

  /** The next `n` created predictions end `failed` with `error` (after `start`, like a model crash). */
  failNextPredictions(n = 1, error = DEFAULT_FAILURE): this {
    this.#failError = error;
    return this.#set('fail', n);
  }

  /**
   * The next `n` webhook HTTP attempts carry a wrong signature. A refused (non-2xx) terminal webhook is
   * retried, correctly signed, like any failed delivery.
   */
  tamperNextWebhook(n = 1): this {
    return this.#set('tamper', n);
  }

  /** Turns every fault off. */
  reset(): this {
    this.#left.clear();
    this.#retryAfterSeconds = 1;
    this.#failError = DEFAULT_FAILURE;
    this.delayMs = 0;
    this.duplicateWebhooks = false;
    this.reorderWebhooks = false;
    this.dropWebhooks = false;
    return this;
  }

  // Used by the stand-in: whether the fault applies to this occurrence (and count it down).

  /** Retry-After seconds if this create attempt is rate limited. */
  takeRateLimit(): number | undefined {
    return this.#take('rateLimit') ? this.#retryAfterSeconds : undefined;
  }
  takeServerError(): boolean {
    return this.#take('serverError');
  }
  takeInvalidInput(): boolean {
    return this.#take('invalidInput');
  }
  /** The error message if this prediction must fail. */
  takeFailure(): string | undefined {
    return this.#take('fail') ? this.#failError : undefined;
  }
  takeTamper(): boolean {
    return this.#take('tamper');
  }

  #set(which: Counter, n: number): this {
    if (!(n >= 0)) throw new RangeError(`fault count must be >= 0 (got ${n})`);
    this.#left.set(which, n);
    return this;
  }

  #take(which: Counter): boolean {
    const left = this.#left.get(which) ?? 0;
    if (left <= 0) return false;
    this.#left.set(which, left - 1); // Infinity - 1 stays Infinity
    return true;
  }
}
