import { afterAll, beforeAll } from 'vitest';
import { type LocalAi, startLocalAi } from '../../shared/local/ai.ts';
import type { ReplicateStandIn } from '../../shared/local/replicate-standin/index.ts';
import type { LocalQueue } from '../../shared/local/sqs.ts';
import type { Api } from './http.ts';
import type { LocalMedia } from './media-stack.ts';
import { settleAll } from './settle.ts';

export interface LocalAiHandle {
  readonly queue: LocalQueue;
  readonly outputs: LocalQueue;
  readonly standIn: ReplicateStandIn;
  /** Waits until the queue, the stand-in and S3-event processing have all gone quiet. */
  settle(): Promise<void>;
}

/**
 * The AI pipeline for one test file: local SQS → dispatcher → offline Replicate stand-in →
 * signed webhooks to the local gateway. Call after useApi() and useLocalMedia().
 */
export function useLocalAi(api: Api, media: LocalMedia): LocalAiHandle {
  let ai: LocalAi;
  beforeAll(async () => {
    delete process.env.REPLICATE_API_TOKEN;
    ai = await startLocalAi({ apiUrl: api.url, visibilityDelayMs: 50, maxReceiveCount: 3 });
  });
  afterAll(async () => {
    await ai?.stop();
  });
  return {
    get queue() {
      return ai.queue;
    },
    get outputs() {
      return ai.outputs;
    },
    get standIn() {
      return ai.standIn!;
    },
    async settle() {
      // Each stage can start work in another (webhook → S3 copy → upload processing).
      await settleAll([ai.queue, ai.standIn!, ai.outputs, media.soundtracks, media.invoker]);
    },
  };
}
