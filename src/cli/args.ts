import { CliFailure } from './io.js';

/**
 * Reads `--name value` and `--name=value` options. Anything unknown, repeated or missing its
 * value is refused, so a typo never silently falls back to a default.
 */
export function parseOptions<K extends string>(
  command: string,
  args: string[],
  known: readonly K[],
): Partial<Record<K, string>> {
  const options: Partial<Record<K, string>> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      throw new CliFailure(`${command}: unexpected argument "${arg}"`);
    }
    const eq = arg.indexOf('=');
    const name = (eq >= 0 ? arg.slice(2, eq) : arg.slice(2)) as K;
    if (!known.includes(name)) {
      throw new CliFailure(`${command}: unknown option --${name}`);
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
      value = args[++i];
    }
    if (value === undefined) throw new CliFailure(`${command}: option --${name} needs a value`);
    if (options[name] !== undefined) {
      throw new CliFailure(`${command}: option --${name} is given twice`);
    }
    options[name] = value;
  }
  return options;
}

/** Refuses extra arguments for commands that take none. */
export function expectNoArguments(command: string, args: string[]): void {
  if (args.length > 0) throw new CliFailure(`${command}: takes no arguments (got "${args[0]}")`);
}
