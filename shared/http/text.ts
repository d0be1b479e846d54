import * as z from 'zod/mini';

/**
 * The one building block for text people type (names, bios, captions, prompts, lyrics, comments,
 * emails, passwords). Postgres `text` cannot hold NUL (a 500 before this existed), and no field
 * has a use for other control characters; names also refuse the bidi override, isolate and mark
 * characters that make "evil" read as "live" (or "abc.exe" as "exe.cba") in someone else's feed.
 */

/** Control characters (C0, DEL, C1) except tab and line breaks (\n, and \r of a CRLF). */
const CONTROL = /[^\P{Cc}\t\n\r]/u;
/** Single-line text (names, emails, passwords) refuses line breaks and tabs too. */
const ANY_CONTROL = /\p{Cc}/u;
/** LRE RLE PDF LRO RLO (U+202A–202E), LRI RLI FSI PDI (U+2066–2069), LRM RLM (U+200E–200F), ALM (U+061C). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
/** Something visible: not only whitespace or invisible format characters (zero-width space…). */
const VISIBLE = /[^\s\p{Cf}]/u;

export interface UserTextOptions {
  /** What the messages call it: "Caption", "A comment"… */
  label: string;
  /** Most characters (code points, as Postgres counts them). */
  max: number;
  /** Fewest characters after trimming (default 0); above 0, invisible-only text is refused too. */
  min?: number;
  /** A name shown to others: one line, no bidi overrides or isolates. */
  name?: boolean;
  /** One line: no tab or line break (emails, passwords). Names are always one line. */
  singleLine?: boolean;
  /** Trim surrounding whitespace first (default true; passwords keep theirs). */
  trim?: boolean;
  /** NFC-normalise first (what profiles show: one way to store each letter, so lengths agree). */
  nfc?: boolean;
}

/** A zod string schema for user text; every violation is a 400 `validation_failed` at the edge. */
export function userText(opts: UserTextOptions) {
  const min = opts.min ?? 0;
  const singleLine = opts.singleLine || opts.name;
  const normalised = opts.nfc ? z.string().check(z.overwrite((s) => s.normalize('NFC'))) : z.string();
  const base = opts.trim === false ? normalised : normalised.check(z.trim());
  return base.check(
    z.refine((s) => !(singleLine ? ANY_CONTROL : CONTROL).test(s), {
      message: `${opts.label} cannot contain control characters`,
      abort: true,
    }),
    z.refine((s) => !opts.name || !BIDI_CONTROL.test(s), {
      message: `${opts.label} cannot contain bidirectional control characters`,
      abort: true,
    }),
    z.refine((s) => min === 0 || opts.trim === false || VISIBLE.test(s), `${opts.label} cannot be blank`),
    z.refine((s) => [...s].length >= min, `${opts.label} must be at least ${min} characters`),
    z.refine((s) => [...s].length <= opts.max, `${opts.label} must be at most ${opts.max} characters`),
  );
}
