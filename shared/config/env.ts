import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini carries no messages of its own (classic zod sets English on first use): every issue
// message in a 4xx `details` and in a config error is English, as before. Every Lambda reads its
// config through this module, so this runs before any request or message is validated.
z.config(en());

/**
 * Config through env vars, validated with zod. Each concern (db, auth, storage, ...)
 * declares its own schema with `defineEnv`; a function validates only what it uses,
 * on first use at cold start, and fails with a readable message listing every problem.
 */
const loaded = new Set<{ reset(): void }>();

export function defineEnv<S extends z.ZodMiniType>(name: string, schema: S): () => z.infer<S> {
  let cached: z.infer<S> | undefined;
  const entry = {
    reset() {
      cached = undefined;
    },
  };
  loaded.add(entry);
  return () => {
    if (cached === undefined) {
      const parsed = schema.safeParse(process.env);
      if (!parsed.success) {
        throw new Error(`Invalid ${name} configuration:\n${z.prettifyError(parsed.error)}`);
      }
      cached = parsed.data;
    }
    return cached as z.infer<S>;
  };
}

/** The local runtime and tests set env between phases; this forgets every cached copy. */
export function resetEnvCache(): void {
  for (const entry of loaded) entry.reset();
}

export const boolFromString = z.pipe(
  z.enum(['true', 'false', '1', '0']),
  z.transform((v) => v === 'true' || v === '1'),
);
