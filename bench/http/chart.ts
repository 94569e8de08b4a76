import { readFileSync, writeFileSync } from 'node:fs';

/**
 * A grouped horizontal bar chart (SVG, written by hand, no library) of requests per second per
 * endpoint: full application and bare handler, on each database that has a results file.
 */

interface ResultFile {
  database: string;
  machine: { measuredAt: string; cpu: string; cores: number };
  sizes: { firms: number; tickets: number; certificates: number };
  endpoints: Record<string, { full: { rps: number }; bare: { rps: number }; rpsRatio: number }>;
}

const SERIES = [
  { db: 'sqlite', side: 'full', label: 'SQLite, full application', color: '#1f5fa8' },
  { db: 'sqlite', side: 'bare', label: 'SQLite, bare node:http', color: '#8fb8e8' },
  { db: 'postgres', side: 'full', label: 'PostgreSQL, full application', color: '#b5462f' },
  { db: 'postgres', side: 'bare', label: 'PostgreSQL, bare node:http', color: '#f0a58f' },
] as const;

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function writeChart(files: string[], out: string): void {
  const results = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as ResultFile);
  if (results.length === 0) return;
  const byDb = new Map(results.map((r) => [r.database, r]));
  const series = SERIES.filter((s) => byDb.has(s.db));
  const names = [...new Set(results.flatMap((r) => Object.keys(r.endpoints)))];
  const max = Math.max(
    ...results.flatMap((r) => Object.values(r.endpoints).flatMap((e) => [e.full.rps, e.bare.rps])),
  );
  const step = niceStep(max);
  const axisMax = Math.ceil(max / step) * step;

  const left = 230;
  const plotWidth = 560;
  const bar = 13;
  const groupGap = 16;
  const top = 92;
  const groupHeight = series.length * bar + groupGap;
  const height = top + names.length * groupHeight + 50;
  const width = left + plotWidth + 90;
  const x = (rps: number): number => (rps / axisMax) * plotWidth;
  const parts: string[] = [];
  const first = results[0];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="20" y="26" font-size="16" font-weight="bold">HTTP throughput by endpoint (requests/s, higher is better)</text>`,
    `<text x="20" y="46" fill="#444">${escape(
      `${first.sizes.firms.toLocaleString('en')} firms, ${first.sizes.tickets.toLocaleString('en')} tickets, ${first.sizes.certificates.toLocaleString('en')} certificates; ${first.machine.cores} cores, ${first.machine.measuredAt.slice(0, 10)}`,
    )}</text>`,
  );
  series.forEach((s, i) => {
    const lx = 20 + (i % 2) * 300;
    const ly = 60 + Math.floor(i / 2) * 16;
    parts.push(
      `<rect x="${lx}" y="${ly}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${lx + 18}" y="${ly + 10}">${escape(s.label)}</text>`,
    );
  });
  for (let v = 0; v <= axisMax; v += step) {
    const gx = left + x(v);
    parts.push(
      `<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${height - 40}" stroke="#ddd"/>`,
      `<text x="${gx}" y="${height - 24}" text-anchor="middle" fill="#444">${v.toLocaleString('en')}</text>`,
    );
  }
  names.forEach((name, g) => {
    const gy = top + g * groupHeight;
    parts.push(
      `<text x="${left - 10}" y="${gy + (series.length * bar) / 2 + 4}" text-anchor="end">${escape(name)}</text>`,
    );
    series.forEach((s, i) => {
      const endpoint = byDb.get(s.db)?.endpoints[name];
      if (!endpoint) return;
      const rps = endpoint[s.side].rps;
      const by = gy + i * bar;
      parts.push(
        `<rect x="${left}" y="${by}" width="${x(rps).toFixed(1)}" height="${bar - 2}" fill="${s.color}"/>`,
        `<text x="${(left + x(rps) + 4).toFixed(1)}" y="${by + bar - 3}" font-size="10" fill="#222">${Math.round(rps).toLocaleString('en')}${s.side === 'full' ? ` (${endpoint.rpsRatio.toFixed(2)}×)` : ''}</text>`,
      );
    });
  });
  parts.push(
    `<line x1="${left}" y1="${top - 6}" x2="${left}" y2="${height - 40}" stroke="#888"/>`,
    `<text x="${left + plotWidth / 2}" y="${height - 8}" text-anchor="middle" fill="#444">requests per second; (n×) = full ÷ bare</text>`,
    '</svg>',
  );
  writeFileSync(out, parts.join('\n') + '\n');
}

function niceStep(max: number): number {
  const raw = max / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}
