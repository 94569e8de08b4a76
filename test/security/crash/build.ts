// `npm run test:crash` compiles this file alone (tsconfig.crash.json) and runs it. It
// transpiles the server (src/, migrations/) and this folder's TypeScript into a temporary
// directory, one file at a time with a content cache (as the shutdown test does), then runs
// the crash loop from there. Nothing is written to dist/. Other process-level checks
// (test/scale) import transpileServer() to start the real server the same way.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = process.cwd();
const TRANSPILE: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2023,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  isolatedModules: true,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    const code = /\.ts$/.test(entry.name) && !/\.(spec|e2e-spec|d)\.ts$/.test(entry.name);
    return code ? [path] : [];
  });
}

/**
 * Transpiles src/, migrations/ and the TypeScript of `extraDirs` into a new temporary directory
 * (with node_modules linked and `"type": "module"`), where `node <dir>/src/main.js` starts the
 * server. Returns the directory; the caller removes it.
 */
export function transpileServer(extraDirs: string[] = []): string {
  const out = mkdtempSync(join(tmpdir(), 'szifa-crash-build-'));
  try {
    const cache = join(tmpdir(), 'szifa-transpiled');
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
    symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
    for (const file of [
      ...sourceFiles(join(ROOT, 'src')),
      ...sourceFiles(join(ROOT, 'migrations')),
      ...extraDirs.flatMap((dir) => sourceFiles(dir)),
    ]) {
      const source = readFileSync(file, 'utf8');
      const key = createHash('sha256')
        .update(`${ts.version}\n${JSON.stringify(TRANSPILE)}\n${source}`)
        .digest('hex');
      const cached = join(cache, `${key}.js`);
      let js: string;
      if (existsSync(cached)) {
        js = readFileSync(cached, 'utf8');
      } else {
        js = ts.transpileModule(source, { fileName: file, compilerOptions: TRANSPILE }).outputText;
        const temp = `${cached}.${process.pid}.tmp`;
        writeFileSync(temp, js);
        renameSync(temp, cached);
      }
      const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, js);
    }
  } catch (error) {
    rmSync(out, { recursive: true, force: true });
    throw error;
  }
  return out;
}

// Run by `npm run test:crash`; importing this file only borrows transpileServer().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = transpileServer([join(ROOT, 'test', 'security', 'crash')]);
  let status: number;
  try {
    const run = spawnSync(
      process.execPath,
      [join(out, 'test', 'security', 'crash', 'crash-loop.js')],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, CRASH_BUILD: out } },
    );
    status = run.status ?? 1;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  process.exit(status);
}
