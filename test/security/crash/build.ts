// `npm run test:crash` compiles this file (tsconfig.crash.json) and runs it. It transpiles the
// server and this folder's TypeScript into a temporary directory (test/helpers/transpile-server.ts)
// and runs the crash loop from there. Nothing is written to dist/.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, transpileServer } from '../../helpers/transpile-server.js';

const out = transpileServer([
  join(ROOT, 'test', 'security', 'crash'),
  join(ROOT, 'test', 'helpers'),
]);
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
