import * as z from 'zod/mini';
import { isValidTag, normalizeTag } from '../../shared/hashtags/extract.ts';
import { MAX_PAGE_SIZE, pageLimit } from '../../shared/http/schemas.ts';

/**
 * `/v1/hashtags/{tag}/videos`: the tag as written (`Glitch_Art`, `트릭스터`, URL-encoded by
 * the client and decoded by the gateway), with or without its `#`; looked up case-folded.
 */
export const TagParams = z.object({
  tag: z
    .pipe(
      z.string().check(z.maxLength(200)),
      z.transform((s) => normalizeTag(s.replace(/^[#＃]/, ''))),
    )
    .check(z.refine(isValidTag, 'Not a valid hashtag'))
    .register(z.globalRegistry, { examples: ['lokiz'] }),
});

export const TrendingQuery = z.object({
  window: z._default(z.enum(['24h', '7d']), '24h'),
  limit: pageLimit({ description: `1-${MAX_PAGE_SIZE} (larger values are clamped)` }),
});

export const TrendingHashtags = z
  .object({
    window: z.enum(['24h', '7d']),
    items: z.array(z.object({ tag: z.string(), video_count: z.number().check(z.int()) })),
  })
  .register(z.globalRegistry, {
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
