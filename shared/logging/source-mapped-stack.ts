import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapping as SourceMapEntry } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Deployed functions run without `--enable-source-maps`: with it, Node reads and decodes each
 * bundle's map while it loads (10–20 ms of every cold start, BENCHMARKS.md "Cold start proxy"),
 * for stack traces that only an error needs. Instead the stack of a logged error is mapped when
 * it is logged: the map of the bundle file a frame is in (`index.mjs.map`, or a chunk's), shipped
 * beside it, is read on the first error from that file only. Node's own source-map reader
 * (`node:module` SourceMap, what `--enable-source-maps` uses) decodes it, so no library is bundled
 * for it. Frames of files without a map (dev and tests run the sources) are left as they are.
 */
const maps = new Map<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

// `    at fn (file:///var/task/index.mjs:1:2345)` or `    at file:///var/task/index.mjs:1:2345`
const FRAME = /(file:\/\/\/[^\s():]+\.m?js|\/[^\s():]+\.m?js):(\d+):(\d+)(\)?)$/;

/**
 * Sources are relative to the build's output directory (`../../home/…/shared/http/x.ts`): keep
 * the part from the repository's own folders, or from the package's `node_modules/`.
 */
function repoRelative(source: string): string {
  const dependency = source.lastIndexOf('node_modules/');
  if (dependency >= 0) return source.slice(dependency);
  const own = Math.max(source.lastIndexOf('/shared/'), source.lastIndexOf('/functions/'));
  return own >= 0 ? source.slice(own + 1) : source.replace(/^(?:\.\.?\/)+/, '');
}

/** `error.stack` with every frame in a bundle put back at its source file, line and column. */
export function sourceMappedStack(stack: string): string {
  return stack
    .split('\n')
    .map((line) => {
      const frame = FRAME.exec(line);
      if (!frame) return line;
      const [whole, location, row, col, close] = frame;
      const map = mapOf(location!.startsWith('file:') ? fileURLToPath(location!) : location!);
      if (!map) return line;
      // V8 counts lines and columns from 1, findEntry from 0 (and answers {} when nothing maps).
      const original = map.findEntry(Number(row) - 1, Number(col) - 1) as Partial<SourceMapEntry>;
      if (!original.originalSource || original.originalLine === undefined) return line;
      const source = repoRelative(original.originalSource);
      const at = `${source}:${original.originalLine + 1}:${(original.originalColumn ?? 0) + 1}`;
      return `${line.slice(0, line.length - whole.length)}${at}${close}`;
    })
    .join('\n');
}

/** A copy of `error` (and its causes) whose stacks are source-mapped; the error itself when none is. */
export function withSourceMappedStack(error: Error): Error {
  const cause = error.cause instanceof Error ? withSourceMappedStack(error.cause) : error.cause;
  const stack = typeof error.stack === 'string' ? sourceMappedStack(error.stack) : error.stack;
  if (stack === error.stack && cause === error.cause) return error;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(error)) as Error, error);
  Object.defineProperties(copy, {
    name: { value: error.name, enumerable: false, writable: true, configurable: true },
    message: { value: error.message, enumerable: false, writable: true, configurable: true },
    stack: { value: stack, enumerable: false, writable: true, configurable: true },
    cause: { value: cause, enumerable: false, writable: true, configurable: true },
  });
  return copy;
}
