import { isDatabaseUnavailable } from '../db/errors.ts';

/**
 * A start-up failure the developer can fix, said in one line: `npm run dev` prints its message
 * and exits 1, without a stack trace.
 */
export class StartupError extends Error {}

/** `postgres://user:pw@host:5432/db` → `postgres://user:****@host:5432/db` (for messages). */
export function redactUrl(url: string): string {
  return url.replace(/:[^:@/]+@/, ':****@');
}

/** Binds a server; a taken port becomes one line that names the variable to change. */
export async function listenOrExplain<T>(
  what: string,
  envName: string,
  port: number,
  start: () => Promise<T>,
) {
  try {
    return await start();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(
        `${what} cannot listen on port ${port}: it is already in use. Set ${envName} to a free port (0 picks one).`,
      );
    }
    throw err;
  }
}

/** DATABASE_URL given by the developer: its shape is checked before anything starts. */
export function checkDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StartupError('DATABASE_URL is not a URL: expected postgres://user:password@host:5432/database');
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol) || !parsed.hostname) {
    throw new StartupError(
      `DATABASE_URL must be postgres://user:password@host:5432/database (got ${redactUrl(url).slice(0, 80)})`,
    );
  }
}

/** The first database round trip failed: say why in the developer's terms. */
export function explainDatabaseError(err: unknown, url: string): StartupError | undefined {
  const e = err as { code?: string; message?: string; errors?: Array<{ code?: string }> };
  const where = redactUrl(url);
  if (isDatabaseUnavailable(err)) {
    const code = e.code ?? e.errors?.[0]?.code ?? e.message;
    return new StartupError(
      `Cannot reach the database at ${where} (${code}). Is it running? Check DATABASE_URL.`,
    );
  }
  if (e.code === '28P01' || e.code === '28000') {
    return new StartupError(
      `The database at ${where} refused the credentials: ${e.message}. Check DATABASE_URL.`,
    );
  }
  if (e.code === '3D000')
    return new StartupError(`${e.message} at ${where}: create it, or fix DATABASE_URL.`);
  return undefined;
}
