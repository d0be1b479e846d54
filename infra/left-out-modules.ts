import type { Plugin } from 'esbuild';
import type { FunctionName } from './function-sizing.ts';

/**
 * Modules of bundled packages that a deployed function never runs, replaced at build time by a
 * stub. esbuild can't drop them by itself: each hangs off a class member or a lazy getter
 * (`db.schema`, `pg.native`), and a class is kept whole with everything its members import.
 * Together they were 62 KiB of every bundle (kysely 53, pg 9). Each stub says what it replaces
 * if it is ever reached; test/infra/bundled-handlers.test.ts runs real requests through the
 * bundles, and test/infra/bundle-budget.test.ts checks that no source calls what is left out.
 */
export interface LeftOutModule {
  /** Repository-relative path of the module that is replaced. */
  file: string;
  /** The last segment of the specifier its importers use (`schema.js`, `./native`, `pgpass`). */
  importedAs: string;
  /** What reaches it, for the stub's error and the docs. */
  reachedBy: string;
  /** The stub's source: ESM for kysely's files, CommonJS for pg's. */
  stub: string;
  /** Functions that keep the real module. */
  keptBy?: readonly FunctionName[];
}

const refuse = (what: string) =>
  `throw new Error(${JSON.stringify(`${what} is left out of this Lambda's bundle (infra/left-out-modules.ts)`)});`;
const kyselyClass = (name: string, reachedBy: string) =>
  `export class ${name} { constructor() { ${refuse(`kysely's ${name} (${reachedBy})`)} } }`;

export const LEFT_OUT_MODULES: readonly LeftOutModule[] = [
  {
    file: 'node_modules/kysely/dist/esm/schema/schema.js',
    importedAs: 'schema.js',
    reachedBy: '`db.schema`: the schema builder, which only migrations use',
    stub: kyselyClass('SchemaModule', 'db.schema'),
    keptBy: ['migrate'],
  },
  {
    file: 'node_modules/kysely/dist/esm/dialect/postgres/postgres-introspector.js',
    importedAs: 'postgres-introspector.js',
    reachedBy: "`db.introspection`: only kysely's Migrator reads the catalog",
    stub: kyselyClass('PostgresIntrospector', 'db.introspection'),
    keptBy: ['migrate'],
  },
  {
    file: 'node_modules/kysely/dist/esm/plugin/with-schema/with-schema-plugin.js',
    importedAs: 'with-schema-plugin.js',
    reachedBy: "`withSchema()`: LOKIZ uses the search path; only kysely's Migrator calls it",
    stub: kyselyClass('WithSchemaPlugin', 'withSchema()'),
    keptBy: ['migrate'],
  },
  {
    file: 'node_modules/kysely/dist/esm/query-builder/merge-query-builder.js',
    importedAs: 'merge-query-builder.js',
    reachedBy: '`mergeInto()`: SQL MERGE, which LOKIZ does not use',
    stub: kyselyClass('MergeQueryBuilder', 'mergeInto()'),
  },
  {
    // pg reads it through `pg.native` only, catching MODULE_NOT_FOUND: exactly what it meets in
    // Lambda, where the optional pg-native addon is not installed.
    file: 'node_modules/pg/lib/native/index.js',
    importedAs: 'native',
    reachedBy: '`pg.native`: the optional libpq binding, not installed',
    stub: "const e = new Error(\"Cannot find module 'pg-native'\"); e.code = 'MODULE_NOT_FOUND'; throw e;",
  },
  {
    // pg asks pgpass for a password only when none is configured; deployed functions always pass
    // one (shared/db/client.ts), and a Lambda has no ~/.pgpass: "no password found" is what it answers.
    file: 'node_modules/pgpass/lib/index.js',
    importedAs: 'pgpass',
    reachedBy: 'a connection without a password (pg then looks in ~/.pgpass)',
    stub: 'module.exports = function (_connection, done) { done(undefined); };',
  },
];

export const leftOutModulesOf = (name: FunctionName): LeftOutModule[] =>
  LEFT_OUT_MODULES.filter((m) => !m.keptBy?.includes(name));

const NAMESPACE = 'lokiz-left-out';

/** The esbuild plugin that puts the stubs of `leftOutModulesOf(name)` in place of the real files. */
export function leaveOutModules(name: FunctionName): Plugin {
  const left = leftOutModulesOf(name);
  // Matched by the path inside node_modules, not by an absolute path: esbuild resolves symlinks,
  // so a symlinked node_modules (a checkout that shares another's) resolves outside the repo.
  const leftAt = (path: string) => left.find((m) => path.replaceAll('\\', '/').endsWith(`/${m.file}`));
  // Only imports that end like one of them go through JS; esbuild resolves the rest by itself.
  const tails = left.map((m) => m.importedAs.replace(/[.-]/g, '\\$&'));
  const filter = new RegExp(`(?:^|/)(?:${tails.join('|')})$`);
  return {
    name: 'lokiz-leave-out-modules',
    setup(build) {
      build.onResolve({ filter }, async (args) => {
        if (args.pluginData === NAMESPACE) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: NAMESPACE,
        });
        const module = leftAt(resolved.path);
        return module ? { path: module.file, namespace: NAMESPACE } : resolved;
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: LEFT_OUT_MODULES.find((m) => m.file === args.path)!.stub,
        loader: 'js',
      }));
    },
  };
}
