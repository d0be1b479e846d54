import * as z from 'zod';
import { BadRequestError } from '../http/errors.ts';

/**
 * Opaque keyset cursors: (created_at in microseconds, id) of the last row of a page.
 * Microseconds, not JS milliseconds, so rows created in the same millisecond are neither
 * skipped nor repeated.
 */
const CursorShape = z.object({ t: z.string().regex(/^\d{1,18}$/), id: z.uuid() });
export type Cursor = z.infer<typeof CursorShape>;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(value: string | undefined): Cursor | undefined {
  if (value === undefined) return undefined;
  try {
    return CursorShape.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    throw new BadRequestError(
      'The cursor is not valid; start again without one',
      undefined,
      'invalid_cursor',
    );
  }
}
