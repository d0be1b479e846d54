import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';

/** Where mail goes: Amazon SES v2 in AWS, the local outbox (.eml files) everywhere else. */
export const mailEnv = defineEnv(
  'mail',
  z
    .object({
      NODE_ENV: z.optional(z.string()),
      MAIL_TRANSPORT: z._default(z.enum(['outbox', 'ses']), 'outbox'),
      /** The sender; in AWS an address of the SES identity's domain (infra/mail.ts). */
      MAIL_FROM: z._default(z.string().check(z.minLength(3)), 'LOKIZ <no-reply@lokiz.local>'),
      /** SES configuration set (delivery events, reputation metrics); set by the stack. */
      SES_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))),
      /** The local outbox folder (`npm run dev`: .lokiz/mail; tests: a temp folder). */
      MAIL_OUTBOX_DIR: z._default(z.string().check(z.minLength(1)), '.lokiz/mail'),
      /** Where links in mail lead: the app (web or universal links) that calls this API. */
      APP_BASE_URL: z._default(z.url(), 'http://127.0.0.1:3000'),
      /** This API's public base URL (download links that must work without the app). */
      API_LINK_BASE_URL: z.optional(z.url()),
    })
    .check(
      z.refine((e) => e.MAIL_TRANSPORT === 'ses' || e.NODE_ENV !== 'production', {
        message: 'MAIL_TRANSPORT=outbox is a local stand-in; set MAIL_TRANSPORT=ses in AWS',
        path: ['MAIL_TRANSPORT'],
      }),
      z.refine((e) => e.MAIL_TRANSPORT === 'outbox' || e.SES_CONFIGURATION_SET, {
        message: 'SES_CONFIGURATION_SET is required with MAIL_TRANSPORT=ses',
        path: ['SES_CONFIGURATION_SET'],
      }),
    ),
);

/** A link into the app, e.g. appLink('/verify-email', { token }). */
export function appLink(path: string, params: Record<string, string>): string {
  const url = new URL(path, mailEnv().APP_BASE_URL);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** A link to this API (falls back to the app's base URL locally, where both are the gateway). */
export function apiLink(path: string, params: Record<string, string>): string {
  const e = mailEnv();
  const url = new URL(path, e.API_LINK_BASE_URL ?? e.APP_BASE_URL);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}
