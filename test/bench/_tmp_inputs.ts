import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../../infra/bundling.ts';
import { entryOf } from '../../infra/functions.ts';
import { repoPath } from '../../infra/paths.ts';

const [name, pkg] = process.argv.slice(2);
const r = await build({
  ...esbuildOptions(name as never, repoPath(entryOf(name as never)), join('/tmp/i11m/b', name!)),
  absWorkingDir: repoPath(),
  metafile: true,
  logLevel: 'silent',
});
const m = r.metafile as Metafile;
const [, out] = Object.entries(m.outputs).find(([p]) => p.endsWith('.mjs'))!;
const rows = Object.entries(out.inputs)
  .filter(([i]) => i.includes(pkg!))
  .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
for (const [i, { bytesInOutput }] of rows.slice(0, 40))
  console.log((bytesInOutput / 1024).toFixed(1).padStart(6), i.replace(/.*node_modules\//, ''));
console.log('files', rows.length);
