import { say, type CliIo } from './io.js';

export const USAGE = `SZIFA Platform command line

Usage: npm run cli -- <command> [options]
   or: node dist/src/cli.js <command> [options]

Commands:
  create-admin --email E --name N [--password P]
                     Create a staff administrator (the first one, or another). Without
                     --password a strong password is generated and printed once.
  migration:run      Apply pending database migrations.
  migration:revert   Revert the most recently applied migration.
  audit:verify       Check the audit trail's hash chain; exit 1 names the first bad event.
  seed:demo          Fill an EMPTY database with demo data and print the demo logins.
  backup [--out DIR] Write DIR/backup-<time>/ (default ./backups): a consistent copy of the
                     database, DATA_DIR's files and a manifest. Safe while the server runs.
  restore <DIR> [--force]
                     Restore a backup into an EMPTY database and DATA_DIR (--force replaces
                     a database that has tables), then check it against the manifest.
  help               Show this text.

The database and everything else come from the same environment variables as the server
(see README.md). Logging defaults to LOG_LEVEL=warn here.`;

export function help(io: CliIo): number {
  say(io, USAGE);
  return 0;
}
