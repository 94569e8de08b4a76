import type { AppConfig } from '../config/app-config.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { expectNoArguments } from './args.js';
import { withAppContext } from './context.js';
import { say, type CliIo } from './io.js';

/**
 * `audit:verify`: re-hashes the whole audit chain; exit 1 names the first event that fails. The
 * verdict goes to stdout either way: it is the command's result, not a failure to run it.
 */
export async function auditVerify(config: AppConfig, args: string[], io: CliIo): Promise<number> {
  expectNoArguments('audit:verify', args);
  const result = await withAppContext(config, (app) => app.get(AuditService).verify());
  if (result.ok) {
    say(io, `audit chain OK: ${result.checked} events`);
    return 0;
  }
  const at = result.firstBreak;
  say(
    io,
    at
      ? `audit chain BROKEN at event seq=${at.seq} id=${at.id} (${at.reason})`
      : 'audit chain BROKEN (no event named)',
  );
  return 1;
}
