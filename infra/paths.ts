import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: every function is bundled from here (infra/bundling.ts). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const repoPath = (...segments: string[]): string => join(REPO_ROOT, ...segments);
