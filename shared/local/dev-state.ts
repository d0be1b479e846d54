import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { StartupError } from './startup-error.ts';

/**
 * `npm run dev`'s settings and the file through which other local tools (`npm run demo`) find it.
 * Only PORT has a fixed default (3000, what the README's curl lines use); every other local
 * service takes a free port unless its variable names one.
 */
const Port = z.coerce.number().int().min(0).max(65535);
const DevSettings = z.object({
  PORT: Port.default(3000),
  S3_PORT: Port.default(0),
  POSTGRES_PORT: Port.default(0),
  REPLICATE_STANDIN_PORT: Port.default(0),
  SNS_STANDIN_PORT: Port.default(0),
  MANAGEMENT_STANDIN_PORT: Port.default(0),
  /** Where the local data lives (default `.lokiz/` in the current folder). */
  LOKIZ_STATE_DIR: z.string().min(1).optional(),
});
export type DevSettings = z.infer<typeof DevSettings> & { stateDir: string };

export function devSettings(env: NodeJS.ProcessEnv = process.env): DevSettings {
  const parsed = DevSettings.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message.toLowerCase()}`);
    throw new StartupError(`Invalid setting: ${issues.join('; ')} (ports are 0-65535, 0 = any free port)`);
  }
  return { ...parsed.data, stateDir: resolve(parsed.data.LOKIZ_STATE_DIR ?? '.lokiz') };
}

/** What a running dev server publishes in `<state dir>/dev.json`. */
export interface DevState {
  pid: number;
  api_url: string;
  s3_endpoint: string | undefined;
  /** The local mail outbox (verification and reset links land here). */
  mail_outbox_dir: string;
  started_at: string;
}

const DEV_STATE_FILE = 'dev.json';

export function writeDevState(stateDir: string, state: DevState): void {
  writeFileSync(join(stateDir, DEV_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the file if it is still this process's (a newer dev server may have replaced it). */
export function removeDevState(stateDir: string, pid: number): void {
  if (readDevState(stateDir)?.pid === pid) rmSync(join(stateDir, DEV_STATE_FILE), { force: true });
}

export function readDevState(stateDir: string): DevState | undefined {
  const file = join(stateDir, DEV_STATE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevState;
  } catch {
    return undefined;
  }
}

/** Where `npm run demo` sends its requests: API_URL, else PORT, else the running dev server, else :3000. */
export function resolveApiUrl(env: NodeJS.ProcessEnv = process.env): { url: string; source: string } {
  if (env.API_URL) return { url: env.API_URL.replace(/\/$/, ''), source: 'API_URL' };
  if (env.PORT) return { url: `http://127.0.0.1:${env.PORT}`, source: 'PORT' };
  const stateDir = resolve(env.LOKIZ_STATE_DIR ?? '.lokiz');
  const state = readDevState(stateDir);
  if (state) return { url: state.api_url, source: join(stateDir, DEV_STATE_FILE) };
  return { url: 'http://127.0.0.1:3000', source: 'the default' };
}

/** Where `npm run demo` reads mail: MAIL_OUTBOX_DIR, else the running dev server's, else `<state dir>/mail`. */
export function resolveMailOutbox(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MAIL_OUTBOX_DIR) return env.MAIL_OUTBOX_DIR;
  const stateDir = resolve(env.LOKIZ_STATE_DIR ?? '.lokiz');
  return readDevState(stateDir)?.mail_outbox_dir ?? join(stateDir, 'mail');
}
