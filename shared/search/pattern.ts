/**
 * LIKE patterns from untrusted text: `\`, `%` and `_` are escaped so they match themselves
 * (queries say `ESCAPE '\'`). Bound as parameters, never spliced into SQL.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** `%text%`: contains. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** `text%`: starts with. */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}
