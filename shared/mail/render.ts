import type { Locale } from '../db/schema.ts';
import type { MailTemplate, RenderedMail } from './templates.ts';

let templates: Promise<typeof import('./templates.ts')> | undefined;

/**
 * `renderMail` of ./templates.ts, loaded on the first mail: the copy of every message in both
 * languages is a chunk of its own in a bundle (infra/bundling.ts), which most requests never need.
 */
export async function renderMail(template: MailTemplate, locale: Locale): Promise<RenderedMail> {
  templates ??= import('./templates.ts');
  return (await templates).renderMail(template, locale);
}
