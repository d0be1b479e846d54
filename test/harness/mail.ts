import { type OutboxMail, readOutboxDir } from '../../shared/mail/outbox.ts';

export type { OutboxMail };

/** Every mail in the outbox (the harness points MAIL_OUTBOX_DIR at a temp folder), oldest first. */
export async function readOutbox(to?: string): Promise<OutboxMail[]> {
  return readOutboxDir(process.env.MAIL_OUTBOX_DIR!, to);
}

export async function lastMailTo(to: string): Promise<OutboxMail | undefined> {
  return (await readOutbox(to)).at(-1);
}

/** The `token` query parameter of the mail's link. */
export function linkToken(mail: OutboxMail | undefined): string {
  const link = mail?.link;
  if (!link) throw new Error(`mail has no link: ${mail?.subject}`);
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`link has no token: ${link}`);
  return token;
}
