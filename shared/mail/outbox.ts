import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { logger } from '../logging/logger.ts';
import type { OutgoingMail } from './send.ts';

const b64 = (s: string) =>
  Buffer.from(s, 'utf8')
    .toString('base64')
    .replace(/.{76}(?=.)/g, '$&\r\n');

/** RFC 2047 encoded-word, so Korean subjects survive any mail reader. */
const encodeHeader = (s: string) =>
  /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;

/** The message as a standard .eml (multipart/alternative: text and HTML, base64 UTF-8). */
export function toEml(mail: OutgoingMail, from: string, date = new Date()): string {
  const boundary = `lokiz-${randomUUID()}`;
  return [
    `From: ${from}`,
    `To: ${mail.to}`,
    `Subject: ${encodeHeader(mail.subject)}`,
    `Date: ${date.toUTCString()}`,
    `Message-ID: <${randomUUID()}@lokiz.local>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(mail.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(mail.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/**
 * The local stand-in for SES: each message becomes an .eml file in the outbox folder (open it
 * with any mail reader), and its subject and link are logged so a person can follow the flow.
 */
export async function writeToOutbox(dir: string, from: string, mail: OutgoingMail): Promise<string> {
  const folder = resolve(dir);
  await mkdir(folder, { recursive: true });
  const file = join(
    folder,
    `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`,
  );
  await writeFile(file, toEml(mail, from), { mode: 0o600 });
  const line = `[mail-outbox] (offline stand-in, not SES) to=${mail.to} subject="${mail.subject}"${mail.link ? ` link=${mail.link}` : ''} file=${file}`;
  logger.info(line);
  return file;
}

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

/** Reads back one .eml the outbox wrote (tests and `npm run demo` follow the links in them) (multipart/alternative, base64 parts). */
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

/** The outbox's messages, oldest first (file names start with the time), optionally to one address. */
export async function readOutboxDir(dir: string, to?: string): Promise<OutboxMail[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort();
  const mails = await Promise.all(files.map(async (f) => parseEml(await readFile(join(dir, f), 'utf8'), f)));
  return to ? mails.filter((m) => m.to === to.toLowerCase()) : mails;
}
