import { ConfigError, type AppConfig } from '../config/app-config.js';
import { auditVerify } from './audit-verify.js';
import { backup } from './backup.js';
import { loadCliConfig } from './context.js';
import { createAdmin } from './create-admin.js';
import { help } from './help.js';
import { CliFailure, complain, type CliIo } from './io.js';
import { migrationRevert, migrationRun } from './migrations.js';
import { restore } from './restore.js';
import { seedDemoCommand } from './seed-demo.js';

type Command = (config: AppConfig, args: string[], io: CliIo) => Promise<number>;

export const COMMANDS = {
  'create-admin': createAdmin,
  'migration:run': migrationRun,
  'migration:revert': migrationRevert,
  'audit:verify': auditVerify,
  'seed:demo': seedDemoCommand,
  backup,
  restore,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof COMMANDS;

/**
 * Runs the command line and returns the process exit code. Every refusal is one line on
 * stderr: bad configuration, unknown command, bad input, or an unexpected error.
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return help(io);
  if (!isCommand(name)) {
    complain(io, `Unknown command "${name}". Run \`npm run cli -- help\` to list the commands.`);
    return 1;
  }
  let config: AppConfig;
  try {
    config = loadCliConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    complain(io, error.message);
    return 1;
  }
  return runCommand(name, config, args, io);
}

export function isCommand(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name);
}

/** Runs one command with a loaded configuration; what the tests call. */
export async function runCommand(
  name: CommandName,
  config: AppConfig,
  args: string[],
  io: CliIo,
): Promise<number> {
  try {
    return await COMMANDS[name](config, args, io);
  } catch (error) {
    complain(
      io,
      error instanceof CliFailure ? error.message : `${name} failed: ${describeError(error)}`,
    );
    return 1;
  }
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describeError(error.errors[0]);
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = error.message || error.name;
    return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
  }
  return String(error);
}
