import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../../infra/bundling.ts';
import { entryOf } from '../../infra/functions.ts';
import { repoPath } from '../../infra/paths.ts';

const names = process.argv.slice(2);
for (const name of names) {
  const r = await build({
    ...esbuildOptions(name as never, repoPath(entryOf(name as never)), join('/tmp/i11m/b', name)),
    absWorkingDir: repoPath(),
    metafile: true,
    logLevel: 'silent',
  });
  const m = r.metafile as Metafile;
  const [, out] = Object.entries(m.outputs).find(([p]) => p.endsWith('.mjs'))!;
  const per = new Map<string, number>();
  for (const [i, { bytesInOutput }] of Object.entries(out.inputs)) {
    const k = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(i)?.[1] ?? '<app>';
    per.set(k, (per.get(k) ?? 0) + bytesInOutput);
  }
  console.log(
    name,
    (out.bytes / 1024).toFixed(1),
    [...per]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}`)
      .join(', '),
    'ext:',
    out.imports
      .filter((i) => i.external)
      .map((i) => i.path + (i.kind === 'dynamic-import' ? '(dyn)' : ''))
      .join(' '),
  );
}
