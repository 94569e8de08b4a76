import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import type { AppConfig } from './app-config.js';
import { resolveAppSecret } from './secrets.js';

const run = promisify(execFile);

describe('the generated application secret', () => {
  it('is kept in DATA_DIR and read back on the next start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'szifa-secret-'));
    try {
      const config = { DATA_DIR: dir } as AppConfig;
      const first = resolveAppSecret(config);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(resolveAppSecret(config)).toBe(first);
      expect(readFileSync(join(dir, 'app-secret.key'), 'utf8').trim()).toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is replaced when the stored one is too short to be a secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'szifa-secret-'));
    try {
      writeFileSync(join(dir, 'app-secret.key'), 'short\n');
      const secret = resolveAppSecret({ DATA_DIR: dir } as AppConfig);
      expect(secret).not.toBe('short');
      expect(readFileSync(join(dir, 'app-secret.key'), 'utf8').trim()).toBe(secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is the same for instances sharing DATA_DIR that start at the same moment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'szifa-secret-'));
    try {
      // The module only needs node: built-ins, so it runs as plain JavaScript in each process.
      const source = readFileSync(new URL('./secrets.ts', import.meta.url), 'utf8');
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      writeFileSync(join(dir, 'secrets.mjs'), js);
      const startAt = Date.now() + 1500;
      const script = [
        `import { resolveAppSecret } from ${JSON.stringify(join(dir, 'secrets.mjs'))};`,
        `while (Date.now() < ${startAt});`,
        `process.stdout.write(resolveAppSecret({ DATA_DIR: ${JSON.stringify(join(dir, 'data'))} }));`,
      ].join('\n');
      const outputs = await Promise.all(
        Array.from({ length: 8 }, () =>
          run(process.execPath, ['--input-type=module', '-e', script]),
        ),
      );
      const secrets = new Set(outputs.map((o) => o.stdout));
      expect(secrets.size).toBe(1);
      expect(readFileSync(join(dir, 'data', 'app-secret.key'), 'utf8').trim()).toBe(
        [...secrets][0],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
