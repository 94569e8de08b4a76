import { randomBytes } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from './app-config.js';

/**
 * The application secret signs tokens and CSRF values. In production it must come from the
 * environment; elsewhere one is generated on first start and kept beside the database so that
 * sessions survive a restart. Instances that share DATA_DIR and start together agree on one
 * secret: each writes its candidate to a file of its own and links it into place, and a link
 * that finds the file already there reads the winner's secret instead.
 */
export function resolveAppSecret(config: AppConfig): string {
  if (config.APP_SECRET) return config.APP_SECRET;
  mkdirSync(config.DATA_DIR, { recursive: true });
  const file = join(config.DATA_DIR, 'app-secret.key');
  const stored = (): string | undefined => {
    const value = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    return value.length >= 32 ? value : undefined;
  };
  const existing = stored();
  if (existing) return existing;
  const secret = randomBytes(48).toString('base64url');
  const candidate = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(candidate, secret + '\n', { mode: 0o600 });
  try {
    linkSync(candidate, file); // fails with EEXIST if the file is there already
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = stored(); // another instance got there first
    if (winner) return winner;
    renameSync(candidate, file); // a damaged or empty file: replace it
    return secret;
  } finally {
    rmSync(candidate, { force: true });
  }
}
