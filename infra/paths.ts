import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: NodejsFunction bundles from here, with the root package-lock.json. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const repoPath = (...segments: string[]): string => join(REPO_ROOT, ...segments);
