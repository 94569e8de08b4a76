import 'reflect-metadata';
import { appendFileSync } from 'node:fs';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { DataSource } from 'typeorm';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/bootstrap.js';
import { JsonLogger } from '../../src/common/logging/json-logger.js';
import { loadConfig } from '../../src/config/app-config.js';

/**
 * The real application as a separate process: createApp() from src/bootstrap.ts, then listen,
 * exactly as main.ts does (without its signal handling; the harness kills it). The harness sets
 * the environment (database, secret, LOG_LEVEL, RATE_LIMIT_PER_MINUTE, SCHEDULER_ENABLED).
 *
 * Two bench-only switches, never used by the measured "full" runs:
 * - BENCH_WITHOUT=<name> removes one global enhancer after createApp() and before listen()
 *   (routes are bound at listen, so the removed one is never called): a Nest global guard, pipe
 *   or filter by class name, taken out of the application config's list; or an Express
 *   middleware by its place in createApp()'s order (checked against its function name), spliced
 *   out of Express's router stack.
 * - BENCH_CAPTURE=<file> appends every SQL statement the data source runs, with its parameters,
 *   one JSON line each, so that the bare server can issue the very same statements.
 */

/** Nest keeps the global enhancers here (NestApplication's private `config`). */
interface GlobalEnhancers {
  getGlobalGuards(): object[];
  getGlobalPipes(): object[];
  getGlobalFilters(): object[];
  getGlobalInterceptors(): object[];
}

interface ExpressLayer {
  handle: { name: string };
}

/**
 * The middlewares createApp() registers, in order: the bench's name for each and its function's
 * name (requestContext's is an arrow function). Nest's own response hook comes before them.
 */
export const MIDDLEWARE: [string, string][] = [
  ['helmet(/api/docs)', 'helmetMiddleware'],
  ['helmet', 'helmetMiddleware'],
  ['cookieParser', 'cookieParser'],
  ['requestContext', ''],
  ['jsonParser', 'jsonParser'],
  ['urlencodedParser', 'urlencodedParser'],
  ['serveStatic', 'serveStatic'],
];

function expressStack(app: NestExpressApplication): ExpressLayer[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  return express.router.stack;
}

/** Describes (and with `remove`, takes out) the global enhancers; returns what it found. */
export function globalEnhancers(app: NestExpressApplication, remove?: string): string[] {
  const config = Reflect.get(app, 'config') as GlobalEnhancers;
  const lists: [string, object[]][] = [
    ['guard', config.getGlobalGuards()],
    ['pipe', config.getGlobalPipes()],
    ['filter', config.getGlobalFilters()],
    ['interceptor', config.getGlobalInterceptors()],
  ];
  const found: string[] = [];
  let removed = false;
  for (const [kind, list] of lists) {
    for (let i = list.length - 1; i >= 0; i--) {
      const name = list[i].constructor.name;
      found.unshift(`${kind}:${name}`);
      if (name === remove) {
        list.splice(i, 1);
        removed = true;
      }
    }
  }
  // Express 5's stack holds what app.use() added, in order, then the routes. createApp()'s
  // middleware starts at the first helmet; a different order or name stops the bench rather than
  // removing the wrong one.
  const stack = expressStack(app);
  const start = stack.findIndex((layer) => layer.handle.name === 'helmetMiddleware');
  MIDDLEWARE.forEach(([name, functionName], slot) => {
    const layer = stack[start + slot];
    if (start < 0 || !layer || layer.handle.name !== functionName)
      throw new Error(`createApp()'s middleware is not ${MIDDLEWARE.map((m) => m[0]).join(', ')}`);
    found.push(`middleware:${name}`);
    if (name === remove) removed = true;
  });
  if (removed && remove) {
    const slot = MIDDLEWARE.findIndex(([name]) => name === remove);
    if (slot >= 0) stack.splice(start + slot, 1);
  }
  if (remove && !removed)
    throw new Error(`BENCH_WITHOUT=${remove}: no such enhancer (found: ${found.join(', ')})`);
  return found;
}

function captureLogger(file: string): TypeOrmLogger {
  return {
    logQuery: (query, parameters) =>
      appendFileSync(file, JSON.stringify({ sql: query, params: parameters ?? [] }) + '\n'),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config, new JsonLogger(config.LOG_LEVEL));
  const enhancers = globalEnhancers(app, process.env.BENCH_WITHOUT || undefined);
  const capture = process.env.BENCH_CAPTURE;
  if (capture) Object.assign(app.get(DataSource), { logger: captureLogger(capture) });
  // A clean exit on SIGUSR2, so that `node --cpu-prof` writes its profile.
  process.on('SIGUSR2', () => process.exit(0));
  await app.listen(config.PORT, '127.0.0.1');
  process.send?.({ ready: true, enhancers });
}

main().catch((error: unknown) => {
  process.stderr.write(`full-server: ${String(error)}\n`);
  process.exit(1);
});
