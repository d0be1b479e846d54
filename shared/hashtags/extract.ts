/**
 * Hashtags in a caption: `#` (or the full-width `＃` Korean and Japanese keyboards type)
 * followed by letters, combining marks, digits and underscores in any script — `#트릭스터`,
 * `#glitch_art`, `#ナルト`. Any other character (space, punctuation, emoji, another `#`) ends
 * the tag. A `#` glued to a preceding word character or `&` is not a tag start (`page#top`,
 * `&#39;`). Tags are NFC-normalised and lower-cased with the locale-independent
 * `toLowerCase`, so `#Glitch` and `#GLITCH` are one tag and the result never depends on the
 * server's locale. A tag needs at least one letter (`#1` in "we're #1" is not a tag).
 */
const TAG_CHAR = String.raw`\p{L}\p{M}\p{N}_`;
const HASHTAG = new RegExp(`(?<![${TAG_CHAR}&#＃])[#＃]([${TAG_CHAR}]+)`, 'gu');
const VALID_TAG = new RegExp(String.raw`^(?=.*\p{L})[${TAG_CHAR}]+$`, 'u');

export const MAX_TAGS_PER_VIDEO = 30;
/** In characters (code points), as the `hashtags.tag` CHECK counts them. */
export const MAX_TAG_CHARS = 100;

/** The canonical form a tag is stored and looked up in. */
export function normalizeTag(raw: string): string {
  return raw.normalize('NFC').toLowerCase();
}

/** Whether a (normalised) string is something extractHashtags could have produced. */
export function isValidTag(tag: string): boolean {
  return VALID_TAG.test(tag) && [...tag].length <= MAX_TAG_CHARS;
}

/**
 * The distinct tags of a caption in order of first appearance, at most 30. Over-long tags are
 * skipped rather than cut (a truncated tag would be a different tag).
 */
export function extractHashtags(caption: string): string[] {
  const tags = new Set<string>();
  for (const match of caption.normalize('NFC').matchAll(HASHTAG)) {
    const tag = normalizeTag(match[1]!);
    if (!isValidTag(tag)) continue;
    tags.add(tag);
    if (tags.size === MAX_TAGS_PER_VIDEO) break;
  }
  return [...tags];
}
