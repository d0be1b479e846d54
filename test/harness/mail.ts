import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface OutboxMail {
  file: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The first link in the text part. */
  link: string | undefined;
}

function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?B\?([^?]+)\?=/gi, (_, b64: string) =>
    Buffer.from(b64, 'base64').toString('utf8'),
  );
}

/** Reads one .eml the local outbox wrote (multipart/alternative, base64 parts). */
export function parseEml(raw: string, file = ''): OutboxMail {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const header = (name: string) =>
    head
      .split('\r\n')
      .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim() ?? '';
  const body = rest.join('\r\n\r\n');
  const part = (type: string) => {
    const match = new RegExp(
      `Content-Type: ${type}; charset=UTF-8\\r\\nContent-Transfer-Encoding: base64\\r\\n\\r\\n([A-Za-z0-9+/=\\r\\n]+)`,
    ).exec(body);
    return match ? Buffer.from(match[1]!.replace(/\r\n/g, ''), 'base64').toString('utf8') : '';
  };
  const text = part('text/plain');
  return {
    file,
    to: header('To'),
    subject: decodeHeader(header('Subject')),
    text,
    html: part('text/html'),
    link: /https?:\/\/\S+/.exec(text)?.[0],
  };
}

/** Every mail in the outbox (the harness points MAIL_OUTBOX_DIR at a temp folder), oldest first. */
export async function readOutbox(to?: string): Promise<OutboxMail[]> {
  const dir = process.env.MAIL_OUTBOX_DIR!;
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort();
  const mails = await Promise.all(files.map(async (f) => parseEml(await readFile(join(dir, f), 'utf8'), f)));
  return to ? mails.filter((m) => m.to === to.toLowerCase()) : mails;
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
