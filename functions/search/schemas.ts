import * as z from 'zod/mini';
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
  .pipe(
    z.string().check(z.refine((s) => !/\p{Cc}/u.test(s), 'Search text cannot contain control characters')),
    z.transform((s) => s.trim().normalize('NFC')),
  )
  .check(
    z.refine((s) => [...s].length >= MIN_QUERY_CHARS, `Search for at least ${MIN_QUERY_CHARS} characters`),
    z.refine((s) => [...s].length <= MAX_QUERY_CHARS, `Search for at most ${MAX_QUERY_CHARS} characters`),
  );

export const SearchQuery = z.extend(PageQuery, {
  q: SearchText.clone().register(z.globalRegistry, { examples: ['trick'] }),
});
/** Video search also takes `exclude_ai`. */
export const VideoSearchQuery = z.extend(SearchQuery, { exclude_ai: ExcludeAiQuery });

export const MAX_COMBINED_PER_KIND = 20;

export const CombinedSearchQuery = z.object({
  q: SearchText.clone().register(z.globalRegistry, { examples: ['trick'] }),
  exclude_ai: ExcludeAiQuery,
  /** Per kind (people, videos, hashtags); the full lists page through the dedicated routes. */
  limit: z
    .pipe(
      z._default(z.coerce.number().check(z.int(), z.gte(1)), 5),
      z.transform((n) => Math.min(n, MAX_COMBINED_PER_KIND, MAX_PAGE_SIZE)),
    )
    .register(z.globalRegistry, {
      maximum: MAX_COMBINED_PER_KIND,
      description: `Per kind, 1-${MAX_COMBINED_PER_KIND} (larger values are clamped)`,
    }),
});

export const HashtagMatch = z
  .object({ tag: z.string() })
  .register(z.globalRegistry, { id: 'HashtagMatch', examples: [{ tag: 'trickster' }] });

export const SearchResults = z
  .object({ users: UserPage, videos: VideoPage, hashtags: z.array(HashtagMatch) })
  .register(z.globalRegistry, { id: 'SearchResults' });
