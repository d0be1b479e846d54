import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

/**
 * Deployed functions run without `--enable-source-maps`: with it, Node reads and decodes each
 * bundle's map while it loads (10–20 ms of every cold start, BENCHMARKS.md "Cold start proxy"),
 * for stack traces that only an error needs. Instead the stack of a logged error is mapped when
 * it is logged: the bundle's `index.mjs.map`, shipped beside it, is read on the first error only.
 * Frames of files without a map (dev and tests run the sources) are left as they are.
 */
const maps = new Map<string, TraceMap | null>();

function mapOf(file: string): TraceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = new TraceMap(readFileSync(`${file}.map`, 'utf8'));
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
      // V8 counts columns from 1, source maps from 0.
      const original = originalPositionFor(map, { line: Number(row), column: Number(col) - 1 });
      if (!original.source || original.line === null) return line;
      const source = repoRelative(original.source);
      return `${line.slice(0, line.length - whole.length)}${source}:${original.line}:${original.column + 1}${close}`;
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
