import * as z from 'zod';
import { ExcludeAiQuery, MAX_PAGE_SIZE, PageQuery } from '../../shared/http/schemas.ts';
import { UserPage } from '../../shared/users/view.ts';
import { VideoPage } from '../../shared/videos/view.ts';

export const MIN_QUERY_CHARS = 2;
export const MAX_QUERY_CHARS = 100;

/**
 * The search text: trimmed and NFC-normalised (input methods may send decomposed Hangul),
 * 2–100 characters. Wildcards have no meaning: `%`, `_` and `\` match themselves.
 */
const SearchText = z
  .string()
  // Postgres text cannot hold NUL, and no name or caption contains control characters.
  .refine((s) => !/\p{Cc}/u.test(s), 'Search text cannot contain control characters')
  .transform((s) => s.trim().normalize('NFC'))
  .refine((s) => [...s].length >= MIN_QUERY_CHARS, `Search for at least ${MIN_QUERY_CHARS} characters`)
  .refine((s) => [...s].length <= MAX_QUERY_CHARS, `Search for at most ${MAX_QUERY_CHARS} characters`);

export const SearchQuery = PageQuery.extend({ q: SearchText.meta({ examples: ['trick'] }) });
/** Video search also takes `exclude_ai`. */
export const VideoSearchQuery = SearchQuery.extend({ exclude_ai: ExcludeAiQuery });

export const MAX_COMBINED_PER_KIND = 20;

export const CombinedSearchQuery = z.object({
  q: SearchText.meta({ examples: ['trick'] }),
  exclude_ai: ExcludeAiQuery,
  /** Per kind (people, videos, hashtags); the full lists page through the dedicated routes. */
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(5)
    .transform((n) => Math.min(n, MAX_COMBINED_PER_KIND, MAX_PAGE_SIZE))
    .meta({
      maximum: MAX_COMBINED_PER_KIND,
      description: `Per kind, 1-${MAX_COMBINED_PER_KIND} (larger values are clamped)`,
    }),
});

export const HashtagMatch = z
  .object({ tag: z.string() })
  .meta({ id: 'HashtagMatch', examples: [{ tag: 'trickster' }] });

export const SearchResults = z
  .object({ users: UserPage, videos: VideoPage, hashtags: z.array(HashtagMatch) })
  .meta({ id: 'SearchResults' });
