// `npm run test:crash` compiles this file alone (tsconfig.crash.json) and runs it. It
// transpiles the server (src/, migrations/) and this folder's TypeScript into a temporary
// directory, one file at a time with a content cache (as the shutdown test does), then runs
// the crash loop from there. Nothing is written to dist/.
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

const out = mkdtempSync(join(tmpdir(), 'szifa-crash-build-'));
let status: number;
try {
  const cache = join(tmpdir(), 'szifa-transpiled');
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  const here = join(ROOT, 'test', 'security', 'crash');
  for (const file of [
    ...sourceFiles(join(ROOT, 'src')),
    ...sourceFiles(join(ROOT, 'migrations')),
    ...sourceFiles(here),
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
