import * as z from 'zod';
import { isValidTag, normalizeTag } from '../../shared/hashtags/extract.ts';
import { MAX_PAGE_SIZE } from '../../shared/http/schemas.ts';

/**
 * `/v1/hashtags/{tag}/videos`: the tag as written (`Glitch_Art`, `트릭스터`, URL-encoded by
 * the client and decoded by the gateway), with or without its `#`; looked up case-folded.
 */
export const TagParams = z.object({
  tag: z
    .string()
    .max(200)
    .transform((s) => normalizeTag(s.replace(/^[#＃]/, '')))
    .refine(isValidTag, 'Not a valid hashtag')
    .meta({ examples: ['lokiz'] }),
});

export const TrendingQuery = z.object({
  window: z.enum(['24h', '7d']).default('24h'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .transform((n) => Math.min(n, MAX_PAGE_SIZE))
    .meta({ maximum: MAX_PAGE_SIZE, description: `1-${MAX_PAGE_SIZE} (larger values are clamped)` }),
});

export const TrendingHashtags = z
  .object({
    window: z.enum(['24h', '7d']),
    items: z.array(z.object({ tag: z.string(), video_count: z.number().int() })),
  })
  .meta({
    id: 'TrendingHashtags',
    examples: [
      {
        window: '24h',
        items: [
          { tag: 'lokiz', video_count: 312 },
          { tag: '트릭스터', video_count: 57 },
        ],
      },
    ],
  });
