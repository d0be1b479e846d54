import type { Locale } from '../db/schema.ts';

export const LOCALES: readonly Locale[] = ['en', 'ko'];

/**
 * The mail language from an Accept-Language header: the highest-weighted tag we have a template
 * for (`ko-KR;q=0.9, en;q=0.8` → ko), English when none matches. Two languages don't need a library.
 */
export function pickLocale(acceptLanguage: string | undefined, fallback: Locale = 'en'): Locale {
  if (!acceptLanguage) return fallback;
  let best: { locale: Locale; q: number } | undefined;
  for (const part of acceptLanguage.slice(0, 512).split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number.parseFloat(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const primary = tag.toLowerCase().split('-')[0];
    const locale = LOCALES.find((l) => l === primary);
    if (locale && (!best || q > best.q)) best = { locale, q };
  }
  return best?.locale ?? fallback;
}
