import * as z from 'zod/mini';

/** Schemas shared by several domains' routes. */

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().register(z.globalRegistry, {
        description: 'Stable, machine-readable; listed per operation and status',
      }),
      message: z.string().register(z.globalRegistry, { description: 'For people; may change' }),
      details: z
        .optional(z.unknown())
        .register(z.globalRegistry, { description: 'What exactly was wrong, when there is more to say' }),
      request_id: z
        .optional(z.string())
        .register(z.globalRegistry, { description: 'Quote it when reporting a problem' }),
    }),
  })
  .register(z.globalRegistry, {
    id: 'Error',
    description: 'Every error this API answers has this shape.',
    examples: [{ error: { code: 'not_found', message: 'Video not found', request_id: 'Vb4kQ2xYp0s1Lm9T' } }],
  });

/** What API Gateway itself answers when it throttles (not our envelope). */
export const GatewayError = z
  .object({ message: z.string() })
  .register(z.globalRegistry, { id: 'GatewayError', examples: [{ message: 'Too Many Requests' }] });

export const Uuid = z
  .uuid()
  .register(z.globalRegistry, { examples: ['3f8a2c1e-5b7d-4e9a-8c21-7d4e0b6a9f12'] });

export const IdParams = z.object({ id: Uuid });

export const MAX_PAGE_SIZE = 50;

/** `?limit=`: 1-50, 20 by default; larger values are clamped to 50, not rejected. */
export function pageLimit(doc: { description: string; examples?: number[] }) {
  return z
    .pipe(
      z._default(z.coerce.number().check(z.int(), z.gte(1)), 20),
      z.transform((n) => Math.min(n, MAX_PAGE_SIZE)),
    )
    .register(z.globalRegistry, { maximum: MAX_PAGE_SIZE, ...doc });
}

/** `?cursor=&limit=`: a bounded limit (oversized values are clamped, not rejected). */
export const PageQuery = z.object({
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(512))).register(z.globalRegistry, {
    description: 'The `next_cursor` of the previous page',
    examples: ['MTc2NDQ5MzcwMDAwMDAwMHwzZjhh'],
  }),
  limit: pageLimit({
    description: `Page size, 1-${MAX_PAGE_SIZE} (larger values are clamped to ${MAX_PAGE_SIZE})`,
    examples: [20],
  }),
});

/**
 * `?exclude_ai=true|false`: hide videos a model made. Absent, the caller's own setting decides
 * (`exclude_ai` in /v1/safety/settings; shown to everyone logged out).
 */
export const ExcludeAiQuery = z
  .optional(
    z.pipe(
      z.enum(['true', 'false']),
      z.transform((v) => v === 'true'),
    ),
  )
  .register(z.globalRegistry, {
    description: 'Hide AI-made videos (`true`) or show them (`false`); absent, your safety setting decides',
    examples: ['true'],
  });

export const Timestamp = z
  .pipe(
    z.union([z.date(), z.string()]),
    z.transform((v) => (v instanceof Date ? v : new Date(v)).toISOString()),
  )
  .register(z.globalRegistry, {
    type: 'string',
    format: 'date-time',
    examples: ['2026-11-30T09:15:00.000Z'],
  });
