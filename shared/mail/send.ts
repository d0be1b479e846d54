import { logger } from '../logging/logger.ts';
import { mailEnv } from './config.ts';
import type { RenderedMail } from './templates.ts';

export interface OutgoingMail extends RenderedMail {
  to: string;
}

type SesModule = typeof import('@aws-sdk/client-sesv2');
let ses: Promise<{ mod: SesModule; client: InstanceType<SesModule['SESv2Client']> }> | undefined;

/** Loaded on first send: only the few routes and workers that mail pay for the SES client. */
function sesClient() {
  ses ??= import('@aws-sdk/client-sesv2').then((mod) => ({ mod, client: new mod.SESv2Client({}) }));
  return ses;
}

/** Sends one message through SES v2 (AWS) or the local outbox. Throws when it could not be sent. */
export async function sendMail(mail: OutgoingMail): Promise<void> {
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
export async function trySendMail(mail: OutgoingMail): Promise<boolean> {
  try {
    await sendMail(mail);
    return true;
  } catch (err) {
    logger.error('could not send mail', { subject: mail.subject, error: err as Error });
    return false;
  }
}
