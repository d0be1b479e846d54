import * as z from 'zod';

/** Schemas shared by several domains' routes. */

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
      request_id: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const Uuid = z.uuid();

export const IdParams = z.object({ id: Uuid });

export const MAX_PAGE_SIZE = 50;

/** `?cursor=&limit=`: a bounded limit (oversized values are clamped, not rejected). */
export const PageQuery = z.object({
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .transform((n) => Math.min(n, MAX_PAGE_SIZE)),
});

export const Timestamp = z
  .union([z.date(), z.string()])
  .transform((v) => (v instanceof Date ? v : new Date(v)).toISOString());
