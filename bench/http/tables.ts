import { readFileSync } from 'node:fs';

/**
 * Prints the bench/README.md tables of the HTTP benchmark from bench/results/http-<db>.json, so
 * that a new run's figures go into the README without copying numbers by hand:
 * `npx tsc -p bench/tsconfig.json && node dist/bench/http/tables.js`.
 */
interface Side {
  rps: number;
  cpuUs: number;
  p99: number;
}
interface EndpointResult {
  kind: 'read' | 'write';
  connections: number;
  full: Side;
  bare: Side;
  rpsRatio: number;
  p99Ratio: number;
  cpuRatio: number;
  goalsMet: { rps?: boolean; p99: boolean };
}
interface EnhancerCost {
  costPercent: number;
  cpuCostPercent: number;
  perRoundCpuPercent: number[];
}
interface Results {
  machine: { loadAverageAtStart?: number[]; loadAverageAtEnd: number[]; measuredAt: string };
  endpoints: Record<string, EndpointResult>;
  enhancerCosts?: Record<string, Record<string, EnhancerCost>>;
}

const read = (db: string): Results | undefined => {
  try {
    return JSON.parse(readFileSync(`bench/results/http-${db}.json`, 'utf8')) as Results;
  } catch {
    return undefined;
  }
};
const n = (x: number, digits = 0): string => x.toFixed(digits);
const mark = (ok: boolean | undefined): string => (ok ? '✓' : '✗');

for (const db of ['sqlite', 'postgres']) {
  const r = read(db);
  if (!r) continue;
  const load = [r.machine.loadAverageAtStart, r.machine.loadAverageAtEnd]
    .filter(Boolean)
    .map((l) => l![0])
    .join(' → ');
  console.log(
    `\n${db === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (${r.machine.measuredAt}, load ${load}):\n`,
  );
  console.log(
    '| Endpoint | rps full / bare | rps ratio | p99 ms full / bare | p99 ratio | CPU µs/req full / bare | CPU ratio | Goals |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const [name, e] of Object.entries(r.endpoints)) {
    const label = e.connections === 1 ? `${name} (1 connection)` : name;
    const goals =
      e.kind === 'read'
        ? `rps ${mark(e.goalsMet.rps)}, p99 ${mark(e.goalsMet.p99)}`
        : `write: p99 ${mark(e.goalsMet.p99)}`;
    console.log(
      `| ${label} | ${n(e.full.rps)} / ${n(e.bare.rps)} | ${n(e.rpsRatio, 2)} | ${e.full.p99} / ${e.bare.p99} | ${n(e.p99Ratio, 1)} | ${n(e.full.cpuUs)} / ${n(e.bare.cpuUs)} | ${n(e.cpuRatio, 2)} | ${goals} |`,
    );
  }
  for (const [endpoint, costs] of Object.entries(r.enhancerCosts ?? {})) {
    console.log(`\nEnhancer costs on ${endpoint}:\n`);
    console.log('| Removed | CPU cost % (rounds) | rps cost % |');
    console.log('| --- | ---: | ---: |');
    for (const [name, c] of Object.entries(costs))
      console.log(
        `| ${name} | ${n(c.cpuCostPercent, 1)} (${c.perRoundCpuPercent.map((x) => n(x, 1)).join(', ')}) | ${n(c.costPercent, 1)} |`,
      );
  }
}
