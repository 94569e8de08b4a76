// Starts the real server as its own process, the way production runs `node dist/src/main.js`,
// without writing to dist/: src/ and migrations/ are transpiled file by file (as ts-jest does)
// into a temporary directory, with a content-addressed cache in $TMPDIR/szifa-transpiled so only
// changed files cost anything on the next run. Used by the shutdown test, the crash loop
// (test/security/crash) and the two-instance check (test/scale).
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
import ts from 'typescript';

/** The repository root: every caller runs from it (npm scripts, Jest). */
export const ROOT = process.cwd();
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
  const out = mkdtempSync(join(tmpdir(), 'szifa-server-'));
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
