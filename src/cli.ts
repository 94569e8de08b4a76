import 'reflect-metadata';
import { runCli } from './cli/run.js';

// Exit explicitly: a command is done when it returns, whatever timers a library left behind.
// stdout and stderr are synchronous for files and pipes on Linux, so nothing is lost.
process.exit(
  await runCli(process.argv.slice(2), process.env, { out: process.stdout, err: process.stderr }),
);
