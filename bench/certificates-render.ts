import { percentile } from './lib.js';
/**
 * Certificate PDF rendering benchmark: CertificateRenderer.render (PDFKit, Noto Sans SC subset,
 * vector QR code and seal) for each kind, one page at a time and in bulk, with peak memory.
 * How to run it and what the numbers mean: bench/README.md.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CERTIFICATE_KINDS,
  type CertificateKind,
} from '../src/modules/certificates/pdf/certificate-facts.js';
import { CertificateRenderer } from '../src/modules/certificates/pdf/certificate-renderer.js';
import { sampleFacts, sampleIssue } from '../src/modules/certificates/pdf/certificate-samples.js';

const SINGLE = Number(process.env.BENCH_ITERATIONS ?? 100);
const BULK = Number(process.env.BENCH_PAGES ?? 1000);
const RESULTS_DIR = join(process.cwd(), 'bench', 'results');

const renderer = new CertificateRenderer();
const facts = sampleFacts();

function renderOne(kind: CertificateKind, seq: number): Promise<Buffer> {
  switch (kind) {
    case 'membership':
      return renderer.render(kind, facts.membership, sampleIssue(kind, seq));
    case 'pledge':
      return renderer.render(kind, facts.pledge, sampleIssue(kind, seq));
    case 'rating':
      return renderer.render(kind, facts.rating, sampleIssue(kind, seq));
  }
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

async function main(): Promise<void> {
  const coldStart = performance.now();
  const first = await renderOne('membership', 1);
  const coldMs = performance.now() - coldStart;

  const single: Record<string, { p50: number; p95: number; mean: number; bytes: number }> = {};
  for (const kind of CERTIFICATE_KINDS) {
    for (let i = 0; i < 10; i++) await renderOne(kind, i + 1);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SINGLE; i++) {
      const t = performance.now();
      bytes = (await renderOne(kind, i + 1)).length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    single[kind] = {
      p50: round(percentile(times, 50)),
      p95: round(percentile(times, 95)),
      mean: round(mean),
      bytes,
    };
  }

  let peakRss = 0;
  let peakHeap = 0;
  const digest = createHash('sha256');
  const bulkStart = performance.now();
  for (let i = 0; i < BULK; i++) {
    const kind = CERTIFICATE_KINDS[i % CERTIFICATE_KINDS.length];
    digest.update(await renderOne(kind, i + 1));
    if (i % 50 === 0) {
      const { rss, heapUsed } = process.memoryUsage();
      peakRss = Math.max(peakRss, rss);
      peakHeap = Math.max(peakHeap, heapUsed);
    }
  }
  const bulkSeconds = (performance.now() - bulkStart) / 1000;

  const result = {
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      load: loadavg().map((l) => round(l)),
    },
    node: process.version,
    coldFirstPageMs: round(coldMs),
    firstPageBytes: first.length,
    singlePageMs: single,
    bulk: {
      pages: BULK,
      seconds: round(bulkSeconds),
      pagesPerSecond: round(BULK / bulkSeconds, 1),
      peakRssMb: mb(Math.max(peakRss, process.resourceUsage().maxRSS * 1024)),
      peakHeapMb: mb(peakHeap),
      sha256OfAll: digest.digest('hex'),
    },
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    join(RESULTS_DIR, 'certificates-render.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log(JSON.stringify(result, null, 2));
}

await main();
