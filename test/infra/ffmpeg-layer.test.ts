import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFfmpegBinaries } from '../../layers/ffmpeg/build.ts';

const out = mkdtempSync(join(tmpdir(), 'lokiz-ffmpeg-layer-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** ELF header: magic, 64-bit class, and e_machine 62 (x86-64). */
function isElfX8664(path: string): boolean {
  const header = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  return (
    header.subarray(0, 4).toString('latin1') === '\x7fELF' &&
    header[4] === 2 &&
    header.readUInt16LE(18) === 62
  );
}

/** npm installs the linux-x64 packages only on linux-x64 machines (see layers/ffmpeg/README.md). */
function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

const HAVE_BINARIES = installed('@ffmpeg-installer/linux-x64') && installed('@ffprobe-installer/linux-x64');

describe.skipIf(!HAVE_BINARIES)('ffmpeg layer build', () => {
  it('copies ffmpeg and ffprobe into bin/ as executable x86-64 binaries', () => {
    copyFfmpegBinaries(out);
    for (const name of ['ffmpeg', 'ffprobe']) {
      const path = join(out, 'bin', name);
      const stat = statSync(path);
      expect(stat.mode & 0o777, name).toBe(0o755);
      expect(stat.size, name).toBeGreaterThan(10 * 1024 * 1024);
      expect(isElfX8664(path), name).toBe(true);
    }
  });
});
