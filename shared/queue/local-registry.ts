/** The in-process queues the local runtime registers under `local://<name>` URLs. */
export interface LocalQueueSink {
  /** A sink may throw, as SQS may fail a send. */
  send(body: string, delaySeconds?: number): void;
}

const queues = new Map<string, LocalQueueSink>();

export function registerLocalQueue(url: string, queue: LocalQueueSink): void {
  queues.set(url, queue);
}

export function localQueue(url: string): LocalQueueSink | undefined {
  return url.startsWith('local://') ? queues.get(url) : undefined;
}
