import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openCliEnv, col, type CliEnv } from './cli-env.js';

const PASSWORD = 'Tq4!rVm8zKw2';

describe('cli create-admin', () => {
  let env: CliEnv;
  beforeAll(async () => {
    env = await openCliEnv();
  });
  afterAll(() => env.close());

  const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

  it('refuses a malformed e-mail address with one clear line and exit code 1', async () => {
    const run = await env.run('create-admin', ['--email', 'not-an-email', '--name', '王海燕']);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      'create-admin: "not-an-email" is not a valid e-mail address',
    ]);
    expect(run.stdout).toBe('');
  });

  it.each([
    ['a missing --email', ['--name', '王海燕'], 'create-admin: --email is required'],
    ['a missing --name', ['--email', 'a@example.org'], 'create-admin: --name is required'],
    [
      'an option without its value',
      ['--email', 'a@example.org', '--name'],
      'create-admin: option --name needs a value',
    ],
    [
      'an unknown option',
      ['--email', 'a@example.org', '--name', 'A', '--role', 'x'],
      'create-admin: unknown option --role',
    ],
    [
      'a repeated option',
      ['--email', 'a@example.org', '--email', 'b@example.org', '--name', 'A'],
      'create-admin: option --email is given twice',
    ],
    [
      'a stray argument',
      ['admin', '--email', 'a@example.org', '--name', 'A'],
      'create-admin: unexpected argument "admin"',
    ],
    [
      'a name over 100 characters',
      ['--email', 'a@example.org', '--name', 'x'.repeat(101)],
      'create-admin: --name may have at most 100 characters',
    ],
  ])('refuses %s with one line and exit code 1', async (_label, args, message) => {
    const run = await env.run('create-admin', args);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([message]);
  });

  it('creates a staff admin (migrating a new database first) who can sign in through the API', async () => {
    const run = await env.run('create-admin', [
      '--email',
      'Head@Example.org',
      '--name',
      ' 王海燕 ',
      '--password',
      PASSWORD,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created staff admin head@example.org (王海燕)');
    expect(run.stdout).not.toContain(PASSWORD);
    // The refusals above wrote nothing.
    expect(await env.query(`SELECT email FROM users`)).toEqual([{ email: 'head@example.org' }]);

    const signIn = await env.signIn('head@example.org', PASSWORD);
    expect(signIn.status).toBe(200);
    expect(signIn.body.me).toEqual(
      expect.objectContaining({
        email: 'head@example.org',
        role: 'staff_admin',
        emailVerified: true,
      }),
    );
  });

  it('refuses a password the password policy refuses', async () => {
    const run = await env.run('create-admin', [
      '--email',
      'weak@example.org',
      '--name',
      'A',
      '--password',
      'password1',
    ]);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringContaining('(PASSWORD_TOO_COMMON)')]);
    expect(await env.query(`SELECT email FROM users WHERE email = 'weak@example.org'`)).toEqual([]);
  });

  it('refuses an e-mail address that already has an account', async () => {
    const run = await env.run('create-admin', [
      '--email',
      'head@example.org',
      '--name',
      'Again',
      '--password',
      PASSWORD,
    ]);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      'create-admin: An account with this e-mail address already exists. (EMAIL_TAKEN)',
    ]);
  });

  it('generates a strong password when none is given and prints it exactly once', async () => {
    const run = await env.run('create-admin', ['--email=second@example.org', '--name=周敏']);
    expect(run.code).toBe(0);
    const match = /shown only this once[^:]*: (\S+)/.exec(run.stdout);
    expect(match).not.toBeNull();
    const password = match![1];
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(run.stdout.split(password).length - 1).toBe(1);
    expect((await env.signIn('second@example.org', password)).status).toBe(200);
  });

  it('records user.created with the system as the actor, and no password', async () => {
    const events = await env.query<Record<string, string | null>>(
      `SELECT ${col(env, 'actorId')} AS actor, ${col(env, 'actorRole')} AS role, action, summary FROM audit_events WHERE action = 'user.created' ORDER BY seq`,
    );
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(event.actor).toBeNull();
      expect(event.role).toBe('system');
      expect(event.summary).not.toContain(PASSWORD);
    }
    expect(JSON.parse(events[0].summary!)).toEqual(
      expect.objectContaining({ email: 'head@example.org', role: 'staff_admin', via: 'cli' }),
    );
    expect((await env.run('audit:verify')).stdout).toMatch(/^audit chain OK: \d+ events\n$/);
  });

  it('prints no log lines at the CLI default log level', async () => {
    expect(env.config.LOG_LEVEL).toBe('warn');
    const before = env.logs.length;
    expect(
      (
        await env.run('create-admin', [
          '--email',
          'third@example.org',
          '--name',
          'C',
          '--password',
          PASSWORD,
        ])
      ).code,
    ).toBe(0);
    expect(env.logs.slice(before)).toEqual([]);
  });
});
