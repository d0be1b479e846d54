import * as z from 'zod';

/**
 * Text people show to others (names, bios): no control characters, which can break layouts,
 * logs and terminals, and, in names, no bidirectional overrides or isolates, which can make a
 * name read as another (U+202E turns "abc.exe" into "exe.cba"). Strings are NFC-normalised.
 */
// C0 controls and DEL, plus the C1 range; \n and \t are allowed back where multi-line text is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;

export function singleLineText(max: number, label: string) {
  return z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, `${label} must not be empty`)
        .max(max, `${label} must be at most ${max} characters`)
        .refine((s) => !CONTROL.test(s), `${label} must not contain control characters`)
        .refine((s) => !BIDI_CONTROLS.test(s), `${label} must not contain bidirectional control characters`),
    );
}

export function multiLineText(max: number, label: string) {
  return z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .max(max, `${label} must be at most ${max} characters`)
        .refine((s) => !CONTROL_EXCEPT_NEWLINE_TAB.test(s), `${label} must not contain control characters`),
    );
}
