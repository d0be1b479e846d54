import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolateInvocations } from '../../../shared/local/invocation.ts';
import { logger } from '../../../shared/logging/logger.ts';
import { registerUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { putToUploadUrl } from '../../harness/videos.ts';

/**
 * Everything the local runtime runs shares one process and one Powertools logger. Lines must
 * still carry the context of the invocation that wrote them (the deployed JSON format here),
 * even while HTTP requests and upload processing run at the same time.
 */
type Line = Record<string, unknown>;
const lines: Line[] = [];
const write = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  await isolateInvocations();
  logger.setLogLevel('INFO');
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const text = String(chunk);
    if (!text.startsWith('{"level"')) return write(chunk, ...rest);
    for (const l of text.split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
    return true;
  }) as typeof process.stdout.write;
});
afterAll(() => {
  process.stdout.write = write;
  logger.setLogLevel('SILENT');
  // Back to one invocation at a time, as every other test file runs its handlers.
  delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
});

const api = useApi();
const media = useLocalMedia();

describe('log context per local invocation', () => {
  it('tags upload processing with its own invocation and each request with its own id, while both run at once', async () => {
    const user = await registerUser(api);
    const bytes = await readFile(await makeTestVideo({ seconds: 1, width: 160, height: 120 }));
    const urls = await Promise.all(
      [0, 1].map(async () => {
        const res = await api.request('POST', '/v1/videos/upload-url', {
          token: user.accessToken,
          body: { content_type: 'video/mp4', size_bytes: bytes.length },
        });
        return res.body.upload_url as string;
      }),
    );
    lines.length = 0;
    // The PUTs fire S3 events (process-upload runs ffprobe/ffmpeg) while ten logins run bcrypt.
    const logins = Array.from({ length: 10 }, () =>
      api.request('POST', '/v1/auth/login', { body: { email: user.email, password: user.password } }),
    );
    await Promise.all([...urls.map((u) => putToUploadUrl(u, bytes, 'video/mp4')), ...logins]);
    await media.invoker.idle();

    const requests = lines.filter((l) => l.message === 'request');
    expect(requests).toHaveLength(10);
    for (const l of requests) {
      expect(l, JSON.stringify(l)).toMatchObject({
        function_name: 'lokiz-auth',
        route: 'POST /v1/auth/login',
      });
      expect(l.request_id, JSON.stringify(l)).toBe(l.function_request_id);
      expect(l.s3_key, JSON.stringify(l)).toBeUndefined();
    }
    expect(new Set(requests.map((l) => l.request_id)).size).toBe(10);

    const worker = lines.filter((l) => l.function_name === 'lokiz-process-upload');
    expect(worker.filter((l) => l.message === 'upload processed')).toHaveLength(2);
    const requestIds = new Set(requests.map((l) => l.request_id));
    for (const l of worker) {
      expect(l.request_id, JSON.stringify(l)).toBeUndefined();
      expect(l.route, JSON.stringify(l)).toBeUndefined();
      expect(requestIds.has(l.function_request_id), JSON.stringify(l)).toBe(false);
      expect(l.s3_key, JSON.stringify(l)).toMatch(/^uploads\//);
    }
    // Two invocations, each line with its own key.
    const keyOf = new Map<unknown, Set<unknown>>();
    for (const l of worker)
      keyOf.set(l.function_request_id, (keyOf.get(l.function_request_id) ?? new Set()).add(l.s3_key));
    expect([...keyOf.values()].map((keys) => keys.size)).toEqual([1, 1]);
    expect(
      lines.filter((l) => l.function_name !== 'lokiz-auth' && l.function_name !== 'lokiz-process-upload'),
    ).toEqual([]);
  });
});
