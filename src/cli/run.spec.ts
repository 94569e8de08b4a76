import { describe, expect, it } from '@jest/globals';
import { parseOptions } from './args.js';
import { loadCliConfig } from './context.js';
import { USAGE } from './help.js';
import { CliFailure, type CliIo } from './io.js';
import { COMMANDS, runCli } from './run.js';

function capture(): CliIo & { out: { text: string }; err: { text: string } } {
  const out = { text: '', write: (t: string) => (out.text += t) };
  const err = { text: '', write: (t: string) => (err.text += t) };
  return { out, err };
}

describe('command line', () => {
  it('answers invalid configuration with the one ConfigError line and exit code 1', async () => {
    const io = capture();
    expect(await runCli(['audit:verify'], { PORT: 'abc' }, io)).toBe(1);
    expect(io.err.text).toMatch(/^Invalid configuration: PORT [^\n]*\n$/);
    expect(io.out.text).toBe('');
  });

  it('refuses an unknown command with exit code 1 and points at help', async () => {
    const io = capture();
    expect(await runCli(['drop-everything'], {}, io)).toBe(1);
    expect(io.err.text).toBe(
      'Unknown command "drop-everything". Run `npm run cli -- help` to list the commands.\n',
    );
  });

  it.each([[[]], [['help']], [['--help']]])(
    'prints the usage for %j with exit code 0',
    async (argv) => {
      const io = capture();
      expect(await runCli(argv, {}, io)).toBe(0);
      expect(io.out.text).toBe(USAGE + '\n');
    },
  );

  it('documents every command in the usage text', () => {
    for (const name of Object.keys(COMMANDS)) expect(USAGE).toContain(`  ${name}`);
  });

  it('logs at warn unless LOG_LEVEL is set, so commands print only their own lines', () => {
    expect(loadCliConfig({}).LOG_LEVEL).toBe('warn');
    expect(loadCliConfig({ LOG_LEVEL: '' }).LOG_LEVEL).toBe('warn');
    expect(loadCliConfig({ LOG_LEVEL: 'debug' }).LOG_LEVEL).toBe('debug');
  });
});

describe('option parsing', () => {
  const parse = (args: string[]) => parseOptions('cmd', args, ['email', 'name'] as const);

  it('reads --name value and --name=value', () => {
    expect(parse(['--email', 'a@b.cn', '--name=王 海燕'])).toEqual({
      email: 'a@b.cn',
      name: '王 海燕',
    });
  });

  it('keeps an empty --name= value so the command can refuse it', () => {
    expect(parse(['--name='])).toEqual({ name: '' });
  });

  it.each([
    [['--email'], 'cmd: option --email needs a value'],
    [['--email', '--name', 'x'], 'cmd: option --email needs a value'],
    [['--mail', 'x'], 'cmd: unknown option --mail'],
    [['x'], 'cmd: unexpected argument "x"'],
    [['--name', 'a', '--name', 'b'], 'cmd: option --name is given twice'],
  ])('refuses %j', (args, message) => {
    expect(() => parse(args)).toThrow(new CliFailure(message));
  });
});
