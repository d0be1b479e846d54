import type { MigrationProvider } from 'kysely';

let migrations: Promise<typeof import('./all.ts')> | undefined;

/**
 * Every migration, loaded when the migrator asks for them (as kysely's FileMigrationProvider
 * does): in the migrate Lambda's bundle they are a chunk of their own (infra/bundling.ts), read
 * when it runs rather than parsed at start-up. The list is in ./all.ts.
 */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => {
    migrations ??= import('./all.ts');
    return (await migrations).migrations;
  },
};
