import type { Locale } from '../db/schema.ts';
import { logger } from '../logging/logger.ts';
import { mailEnv } from './config.ts';
import type { MailTemplate, RenderedMail } from './templates.ts';

/** A message to send: to whom, which one, and in which language. */
export interface MailRequest {
  to: string;
  template: MailTemplate;
  locale: Locale;
}

export interface OutgoingMail extends RenderedMail {
  to: string;
}

let templates: Promise<typeof import('./templates.ts')> | undefined;

/**
 * Loaded on the first mail: the copy of every message in both languages is a chunk of its own in
 * a bundle (infra/bundling.ts), which most requests never need.
 */
async function rendered({ to, template, locale }: MailRequest): Promise<OutgoingMail> {
  templates ??= import('./templates.ts');
  return { to, ...(await templates).renderMail(template, locale) };
}

type SesModule = typeof import('@aws-sdk/client-sesv2');
let ses: Promise<{ mod: SesModule; client: InstanceType<SesModule['SESv2Client']> }> | undefined;

/** Loaded on first send: only the few routes and workers that mail pay for the SES client. */
function sesClient() {
  ses ??= import('@aws-sdk/client-sesv2').then((mod) => ({ mod, client: new mod.SESv2Client({}) }));
  return ses;
}

/** Sends one message through SES v2 (AWS) or the local outbox. Throws when it could not be sent. */
export async function sendMail(request: MailRequest): Promise<void> {
  await deliver(await rendered(request));
}

async function deliver(mail: OutgoingMail): Promise<void> {
  const e = mailEnv();
  if (e.MAIL_TRANSPORT === 'outbox') {
    // The local stand-in, loaded on its first mail: deployed functions send through SES only.
    const { writeToOutbox } = await import('./outbox.ts');
    await writeToOutbox(e.MAIL_OUTBOX_DIR, e.MAIL_FROM, mail);
    return;
  }
  const { mod, client } = await sesClient();
  const charset = 'UTF-8';
  await client.send(
    new mod.SendEmailCommand({
      FromEmailAddress: e.MAIL_FROM,
      Destination: { ToAddresses: [mail.to] },
      ConfigurationSetName: e.SES_CONFIGURATION_SET,
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: charset },
          Body: { Text: { Data: mail.text, Charset: charset }, Html: { Data: mail.html, Charset: charset } },
        },
      },
    }),
  );
}

/**
 * For mail that must not fail the request that caused it (the action already committed): logs
 * instead of throwing. The person can ask again (resend, forgot password).
 */
export async function trySendMail(request: MailRequest): Promise<boolean> {
  const mail = await rendered(request);
  try {
    await deliver(mail);
    return true;
  } catch (err) {
    logger.error('could not send mail', { subject: mail.subject, error: err as Error });
    return false;
  }
}
