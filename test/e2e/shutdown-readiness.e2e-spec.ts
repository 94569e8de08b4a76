import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { READY_TIMEOUT_MS } from '../../src/modules/health/health.controller.js';
import { createScratchPostgres, startTestApp, type TestApp } from '../helpers/test-app.js';
import { ROOT, transpileServer } from '../helpers/transpile-server.js';
import { freePort } from '../helpers/free-port.js';

interface Server {
  child: ChildProcess;
  port: number;
  logs: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function startServer(build: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(build, 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SCHEDULER_ENABLED: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const started = new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'server.started') resolve();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    void exited.then(({ code }) => reject(new Error(`server exited (${code}) early: ${stderr}`)));
  });
  await started;
  return { child, port, logs, exited };
}

/** Resolves once a new TCP connection to the port is refused; false if it never is. */
async function refusedWithin(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (error: NodeJS.ErrnoException) =>
        resolve(error.code === 'ECONNREFUSED'),
      );
    });
    if (refused) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('graceful shutdown of the server process', () => {
  let build: string;
  let dir: string;
  let drop: (() => Promise<void>) | undefined;
  let server: Server;

  beforeAll(async () => {
    build = transpileServer();
    dir = mkdtempSync(join(tmpdir(), 'szifa-shutdown-'));
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      DATA_DIR: join(dir, 'data'),
      SQLITE_PATH: join(dir, 'szifa.sqlite'),
    };
    if (process.env.DATABASE_URL) {
      const scratch = await createScratchPostgres(process.env.DATABASE_URL);
      env.DATABASE_URL = scratch.url;
      drop = scratch.drop;
    }
    server = await startServer(build, env);
  }, 120_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    if (drop) await drop();
    for (const path of [dir, build]) if (path) rmSync(path, { recursive: true, force: true });
  });

  it('on SIGTERM finishes the request in flight, refuses new connections and exits 0 as soon as it is answered', async () => {
    const body = JSON.stringify({ email: 'in-flight@example.org' });
    const request = http.request({
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path: '/api/v1/auth/password-reset/request',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.once('error', reject);
      request.once('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
    });
    // Headers and half the body: the server is now reading this request.
    request.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const signalled = Date.now();
    server.child.kill('SIGTERM');
    expect(await refusedWithin(server.port, 5000)).toBe(true);
    expect(server.child.exitCode).toBeNull();

    request.end(body.slice(10));
    const answer = await response;
    expect(answer.status).toBe(202);
    expect(answer.text).toContain('"status":"accepted"');

    const answered = Date.now();
    const exit = await server.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - signalled).toBeLessThan(10_000);
    // Not held open by the answered connection's keep-alive (5 s).
    expect(exit.at - answered).toBeLessThan(2000);
    expect(server.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['server.stopping', 'server.stopped']),
    );
  });
});

describe('readiness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Makes the database unreachable for the running app; returns how to bring it back. */
  async function takeDatabaseAway(): Promise<() => Promise<void>> {
    if (!t.config.usesPostgres) {
      // The open handle would still answer; the file the server should be writing is gone.
      const moved = `${t.config.SQLITE_PATH}.moved`;
      renameSync(t.config.SQLITE_PATH, moved);
      return () => Promise.resolve(renameSync(moved, t.config.SQLITE_PATH));
    }
    const url = new URL(t.config.DATABASE_URL!);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return async () => {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
    };
  }

  it('answers 200 while the database answers', async () => {
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('answers 503 problem+json within a second when the database is gone; liveness stays 200; ready again once it is back', async () => {
    const bringBack = await takeDatabaseAway();
    try {
      const started = Date.now();
      const res = await t.http.get('/health/ready');
      const ms = Date.now() - started;
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 503,
        code: 'DATABASE_UNAVAILABLE',
        database: 'down',
        instance: '/health/ready',
      });
      expect(ms).toBeLessThan(READY_TIMEOUT_MS + 250);
      await t.http.get('/health/live').expect(200, { status: 'ok' });
      await t.http.get('/health').expect(200, { status: 'ok' });
    } finally {
      await bringBack();
    }
    // The pool drops connections the server killed and opens new ones.
    let status = 0;
    for (let i = 0; i < 5 && status !== 200; i++) {
      status = (await t.http.get('/health/ready')).status;
    }
    expect(status).toBe(200);
  });

  it('answers 503 once READY_TIMEOUT_MS is up when the database does not answer at all, asking it once', async () => {
    // A database that accepts the query and never answers (a dead host, a full pool).
    const hang = jest
      .spyOn(t.dataSource, 'query')
      .mockImplementation(() => new Promise<never>(() => undefined));
    try {
      const started = Date.now();
      const answers = await Promise.all([t.http.get('/health/ready'), t.http.get('/health/ready')]);
      const ms = Date.now() - started;
      expect(answers.map((res) => res.status)).toEqual([503, 503]);
      expect(ms).toBeGreaterThanOrEqual(READY_TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(READY_TIMEOUT_MS + 500);
      expect(hang).toHaveBeenCalledTimes(1);
    } finally {
      hang.mockRestore();
    }
  });
});
