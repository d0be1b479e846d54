import { logger } from '../logging/logger.ts';
import { headObject, uploadBytes } from '../storage/s3.ts';

/** The model's output URL is gone (404/410): Replicate deletes outputs about an hour after a prediction. */
export class OutputGoneError extends Error {}

/** The output's URL, whatever shape the model returns (a URI, a list of them, or an object of named URIs). */
export function predictionOutputUrl(output: unknown): string | undefined {
  if (typeof output === 'string') return output;
  if (Array.isArray(output) && typeof output[0] === 'string') return output[0];
  if (output && typeof output === 'object') {
    const first = Object.values(output).find((v) => typeof v === 'string' && /^https?:\/\//.test(v));
    return first as string | undefined;
  }
  return undefined;
}

/**
 * Copies a prediction's output into our bucket. Replicate deletes outputs about an hour
 * after a prediction, so this happens as soon as the result arrives (and again from the
 * reconciler if that first copy failed). Returns the bytes copied, or -1 if it was already there.
 */
export async function copyOutputToBucket(url: string, key: string, contentType: string): Promise<number> {
  if (await headObject(key)) return -1; // already copied by an earlier delivery
  const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  if (res.status === 404 || res.status === 410) throw new OutputGoneError(`output is gone (${res.status})`);
  if (!res.ok) throw new Error(`could not download the output (${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  await uploadBytes(key, bytes, contentType);
  logger.info('output copied', { key, bytes: bytes.length });
  return bytes.length;
}
