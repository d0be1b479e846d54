import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
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
