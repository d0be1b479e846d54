import type { z } from 'zod';
import { BadRequestError } from '../http/errors.ts';

/**
 * Opaque cursors for orderings that are not `(created_at, id)` (ranked search results).
 * The time-keyset cursor of feeds and lists lives in shared/videos/cursor.ts.
 */
export function encodeOpaqueCursor(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeOpaqueCursor<T>(shape: z.ZodType<T>, value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  try {
    return shape.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    throw new BadRequestError(
      'The cursor is not valid; start again without one',
      undefined,
      'invalid_cursor',
    );
  }
}
