import { forgetSecret, getSecretString, type VersionStage } from '../config/secrets.ts';
import { logger } from '../logging/logger.ts';

/** A database secret as RDS and its rotation functions write it (host, port, … are ignored here). */
export interface DatabaseSecret {
  username: string;
  password: string;
}

/**
 * The credentials in a Secrets Manager secret that rotation changes under a running process.
 * Single-user rotation sets the new password in the database *before* it makes it AWSCURRENT, so
 * for a few seconds only AWSPENDING works: after an authentication failure `refresh` re-reads
 * AWSCURRENT and, if that is the password that just failed, AWSPENDING.
 */
export class SecretCredentials {
  private current: Promise<DatabaseSecret> | undefined;
  private refreshing: Promise<boolean> | undefined;

  constructor(readonly secretArn: string) {}

  get(): Promise<DatabaseSecret> {
    this.current ??= this.read('AWSCURRENT');
    this.current.catch(() => {
      this.current = undefined;
    });
    return this.current;
  }

  /**
   * After `failedPassword` was refused: true when the secret now holds another password to try.
   * Concurrent callers (a pool's connections failing together) share one re-read.
   */
  refresh(failedPassword: string): Promise<boolean> {
    this.refreshing ??= this.reread(failedPassword).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async reread(failedPassword: string): Promise<boolean> {
    const known = await this.get().catch(() => undefined);
    // Someone else's refresh already moved on.
    if (known && known.password !== failedPassword) return true;
    forgetSecret(this.secretArn);
    for (const stage of ['AWSCURRENT', 'AWSPENDING'] as const) {
      const next = await this.read(stage).catch(() => undefined);
      if (next && next.password !== failedPassword) {
        logger.info('database password changed: using the secret again', { stage });
        this.current = Promise.resolve(next);
        return true;
      }
    }
    return false;
  }

  private async read(stage: VersionStage): Promise<DatabaseSecret> {
    const secret = JSON.parse(await getSecretString(this.secretArn, stage)) as Partial<DatabaseSecret>;
    if (typeof secret.username !== 'string' || typeof secret.password !== 'string') {
      throw new Error(`database secret (${stage}) has no username/password`);
    }
    return { username: secret.username, password: secret.password };
  }
}
