import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Results } from './report.ts';
import { median } from './stats.ts';

/**
 * One SVG, hand-written (no charting dependency for ~80 lines of markup): req/s per endpoint for
 * the seed stack, LOKIZ and the SQL floor, on a log scale (the deep page spans three orders of
 * magnitude). Written next to the report as <name>.svg; returns its file name, or undefined when
 * there is nothing to draw.
 */
export interface ChartGroup {
  label: string;
  bars: { series: 'seed stack' | 'LOKIZ' | 'SQL floor'; value: number }[];
}

const COLORS = { 'seed stack': '#9aa5b1', LOKIZ: '#e4572e', 'SQL floor': '#2e86ab' } as const;

export function chartGroups(r: Results): ChartGroup[] {
  const groups: ChartGroup[] = [];
  const s = r.sideBySide;
  if (s) {
    for (const e of s.endpoints) {
      const rps = (stack: string) =>
        median(s.runs.filter((x) => x.endpoint === e.name && x.stack === stack).map((x) => x.result.rps));
      groups.push({
        label: e.name,
        bars: [
          { series: 'seed stack', value: rps('seed stack') },
          { series: 'LOKIZ', value: rps('LOKIZ') },
          {
            series: 'SQL floor',
            value: s.floors?.find((f) => f.endpoint === e.name)?.result.rps ?? Number.NaN,
          },
        ],
      });
    }
  }
  for (const e of r.endpoints) {
    if (!e.api || !e.floor || !VIDEO_LISTS.includes(e.name)) continue;
    if (s && ['feed, first page', 'feed, deep cursor', 'video by id'].includes(e.name)) continue;
    groups.push({
      label: `${e.name} (signed in)`,
      bars: [
        { series: 'LOKIZ', value: e.api.rps },
        { series: 'SQL floor', value: e.floor.rps },
      ],
    });
  }
  return groups.filter((g) => g.bars.some((b) => Number.isFinite(b.value) && b.value > 0));
}

/** The list endpoints that return videos (the API ÷ floor target applies to these). */
export const VIDEO_LISTS = [
  'feed, first page',
  'feed, deep cursor',
  'following feed',
  'search videos (3+ chars)',
  'search videos (2 chars)',
  'hashtag videos',
];

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderChart(groups: ChartGroup[], title: string): string {
  const W = 900;
  const left = 250;
  const right = 70;
  const barH = 14;
  const gap = 12;
  const top = 56;
  const rows = groups.reduce((n, g) => n + g.bars.length, 0);
  const H = top + rows * barH + groups.length * gap + 40;
  const values = groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v) => Number.isFinite(v) && v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const x = (v: number) =>
    left + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (W - left - right);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  let lx = left;
  for (const [name, color] of Object.entries(COLORS)) {
    out.push(`<rect x="${lx}" y="30" width="12" height="12" fill="${color}"/>`);
    out.push(`<text x="${lx + 16}" y="40">${name}</text>`);
    lx += 30 + name.length * 7;
  }
  for (let v = lo; v <= hi; v *= 10) {
    out.push(
      `<line x1="${x(v).toFixed(1)}" y1="${top - 6}" x2="${x(v).toFixed(1)}" y2="${H - 30}" stroke="#e3e3e3"/>`,
    );
    out.push(
      `<text x="${x(v).toFixed(1)}" y="${H - 16}" text-anchor="middle" fill="#555">${v.toLocaleString('en-US')}</text>`,
    );
  }
  out.push(`<text x="${W - right}" y="${H - 2}" text-anchor="end" fill="#555">req/s (log scale)</text>`);
  let y = top;
  for (const g of groups) {
    const h = g.bars.length * barH;
    out.push(
      `<text x="${left - 8}" y="${(y + h / 2 + 4).toFixed(1)}" text-anchor="end">${esc(g.label)}</text>`,
    );
    for (const b of g.bars) {
      if (Number.isFinite(b.value) && b.value > 0) {
        const w = Math.max(1, x(b.value) - left);
        out.push(
          `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${COLORS[b.series]}"/>`,
        );
        out.push(
          `<text x="${(left + w + 4).toFixed(1)}" y="${y + barH - 4}" font-size="11">${b.value < 10 ? b.value.toFixed(1) : Math.round(b.value).toLocaleString('en-US')}</text>`,
        );
      } else {
        out.push(
          `<text x="${left + 4}" y="${y + barH - 4}" font-size="11" fill="#999">${b.series}: not measured</text>`,
        );
      }
      y += barH;
    }
    y += gap;
  }
  out.push('</svg>', '');
  return out.join('\n');
}

/** Writes `<report without .md>.svg`; returns its base name for the markdown link. */
export function writeChart(r: Results, reportPath: string): string | undefined {
  const groups = chartGroups(r);
  if (!groups.length) return undefined;
  const file = `${reportPath.replace(/\.md$/i, '')}.svg`;
  const scale = r.seeds.find((s) => s.scale.name === r.opts.scale.name);
  const size = scale ? `${(scale.counts.videos ?? 0).toLocaleString('en-US')} videos` : r.opts.scale.name;
  writeFileSync(
    file,
    renderChart(groups, `req/s per endpoint, ${r.opts.concurrency} connections, ${size} (higher is better)`),
  );
  return basename(file);
}
