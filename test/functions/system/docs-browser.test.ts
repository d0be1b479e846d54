import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { useApi } from '../../harness/http.ts';

/**
 * The API docs as a reader sees them: Debian's `chromium`, headless and offline, renders /docs
 * (Swagger UI) and /redoc (ReDoc) from the local gateway. `.ci/run` installs chromium when it is
 * missing, so CI always runs this; elsewhere without chromium it is skipped with the reason.
 */
const run = promisify(execFile);
const CHROMIUM = ['chromium', 'chromium-browser']
  .flatMap((name) => (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)))
  .find((path) => existsSync(path));
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';
if (!CHROMIUM && !IN_CI) {
  console.warn(
    '[docs-browser] skipped: no `chromium` on PATH (apt-get install -y chromium; .ci/run installs it)',
  );
}

const api = useApi();
const profile = mkdtempSync(join(tmpdir(), 'lokiz-chromium-'));
afterAll(() => rmSync(profile, { recursive: true, force: true }));

async function chromium(url: string, action: string[]): Promise<string> {
  if (!CHROMIUM) throw new Error('CI=true but chromium is not installed: .ci/run should have installed it');
  const { stdout } = await run(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--window-size=1400,2200',
      '--virtual-time-budget=10000',
      ...action,
      url,
    ],
    { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** Pixels within `tolerance` of a colour (Swagger UI's method badges have fixed colours). */
function countNear(png: PNG, [r, g, b]: [number, number, number], tolerance = 12): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const d = Math.abs(png.data[i]! - r) + Math.abs(png.data[i + 1]! - g) + Math.abs(png.data[i + 2]! - b);
    if (d <= tolerance) n++;
  }
  return n;
}

describe.skipIf(!CHROMIUM && !IN_CI)('API docs in headless Chromium', { timeout: 180_000 }, () => {
  it('renders Swagger UI at /docs with the operations listed (screenshot checked)', async () => {
    const shot = join(profile, 'docs.png');
    await chromium(`${api.url}/docs`, [`--screenshot=${shot}`]);
    const png = PNG.sync.read(readFileSync(shot));
    expect([png.width, png.height]).toEqual([1400, 2200]);
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4 * 7) {
      colours.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
    }
    expect(colours.size, 'a blank or error page has few colours').toBeGreaterThan(200);
    // The GET (#61affe) and POST (#49cc90) badges of the operations list.
    expect(countNear(png, [0x61, 0xaf, 0xfe]), 'GET operations').toBeGreaterThan(2000);
    expect(countNear(png, [0x49, 0xcc, 0x90]), 'POST operations').toBeGreaterThan(2000);

    const dom = await chromium(`${api.url}/docs`, ['--dump-dom']);
    expect(dom).toContain('LOKIZ API');
    expect(dom).toContain('/v1/auth/register');
    expect(dom).not.toMatch(/Failed to load API definition/i);
  });

  it('renders ReDoc at /redoc from the bundled npm asset', async () => {
    const dom = await chromium(`${api.url}/redoc`, ['--dump-dom']);
    expect(dom).toContain('LOKIZ API');
    expect(dom).toContain('Create an account');
    expect(dom).not.toMatch(/Something went wrong/i);
  });
});
