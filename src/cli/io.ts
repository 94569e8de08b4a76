/** Where a command writes. process.stdout/stderr in the real CLI; collectors in tests. */
export interface CliOutput {
  write(text: string): unknown;
}

export interface CliIo {
  out: CliOutput;
  err: CliOutput;
}

/** A refusal the operator can act on: its message is printed as the command's one line. */
export class CliFailure extends Error {}

/** Writes one line to stdout. */
export function say(io: CliIo, line = ''): void {
  io.out.write(line + '\n');
}

/** Writes one line to stderr. */
export function complain(io: CliIo, line: string): void {
  io.err.write(line + '\n');
}
