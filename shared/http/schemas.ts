import * as z from 'zod';

/** Schemas shared by several domains' routes. */

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable, machine-readable; listed per operation and status' }),
      message: z.string().meta({ description: 'For people; may change' }),
      details: z
        .unknown()
        .optional()
        .meta({ description: 'What exactly was wrong, when there is more to say' }),
      request_id: z.string().optional().meta({ description: 'Quote it when reporting a problem' }),
    }),
  })
  .meta({
    id: 'Error',
    description: 'Every error this API answers has this shape.',
    examples: [{ error: { code: 'not_found', message: 'Video not found', request_id: 'Vb4kQ2xYp0s1Lm9T' } }],
  });

/** What API Gateway itself answers when it throttles (not our envelope). */
export const GatewayError = z
  .object({ message: z.string() })
  .meta({ id: 'GatewayError', examples: [{ message: 'Too Many Requests' }] });

export const Uuid = z.uuid().meta({ examples: ['3f8a2c1e-5b7d-4e9a-8c21-7d4e0b6a9f12'] });

export const IdParams = z.object({ id: Uuid });

export const MAX_PAGE_SIZE = 50;

/** `?cursor=&limit=`: a bounded limit (oversized values are clamped, not rejected). */
export const PageQuery = z.object({
  cursor: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .meta({
      description: 'The `next_cursor` of the previous page',
      examples: ['MTc2NDQ5MzcwMDAwMDAwMHwzZjhh'],
    }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .transform((n) => Math.min(n, MAX_PAGE_SIZE))
    .meta({
      maximum: MAX_PAGE_SIZE,
      description: `Page size, 1-${MAX_PAGE_SIZE} (larger values are clamped to ${MAX_PAGE_SIZE})`,
      examples: [20],
    }),
});

/**
 * `?exclude_ai=true|false`: hide videos a model made. Absent, the caller's own setting decides
 * (`exclude_ai` in /v1/safety/settings; shown to everyone logged out).
 */
export const ExcludeAiQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional()
  .meta({
    description: 'Hide AI-made videos (`true`) or show them (`false`); absent, your safety setting decides',
    examples: ['true'],
  });

export const Timestamp = z
  .union([z.date(), z.string()])
  .transform((v) => (v instanceof Date ? v : new Date(v)).toISOString())
  .meta({ type: 'string', format: 'date-time', examples: ['2026-11-30T09:15:00.000Z'] });
