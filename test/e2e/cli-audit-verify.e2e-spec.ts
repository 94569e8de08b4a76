import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openCliEnv, type CliEnv } from './cli-env.js';

describe('cli audit:verify', () => {
  let env: CliEnv;
  beforeAll(async () => {
    env = await openCliEnv();
  });
  afterAll(() => env.close());

  const event = async (seq: number): Promise<{ id: string; summary: string }> => {
    const [row] = await env.query<{ id: string; summary: string }>(
      'SELECT id, summary FROM audit_events WHERE seq = ?',
      [seq],
    );
    return row;
  };

  it('reports an empty chain as intact', async () => {
    const run = await env.run('audit:verify');
    expect(run).toEqual({ code: 0, stdout: 'audit chain OK: 0 events\n', stderr: '' });
  });

  it('counts every event of an intact chain', async () => {
    for (const n of [1, 2, 3, 4]) {
      const args = [
        '--email',
        `admin${n}@example.org`,
        '--name',
        `管理员${n}`,
        '--password',
        'Tq4!rVm8zKw2',
      ];
      expect((await env.run('create-admin', args)).code).toBe(0);
    }
    expect((await env.run('audit:verify')).stdout).toBe('audit chain OK: 4 events\n');
  });

  it('exits 1 and names the seq and id of an event altered with raw SQL', async () => {
    const victim = await event(2);
    await env.query('UPDATE audit_events SET summary = ? WHERE seq = 2', [
      '{"email":"someone-else@example.org"}',
    ]);
    const run = await env.run('audit:verify');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`audit chain BROKEN at event seq=2 id=${victim.id} (HASH_MISMATCH)\n`);
    await env.query('UPDATE audit_events SET summary = ? WHERE seq = 2', [victim.summary]);
    expect((await env.run('audit:verify')).code).toBe(0);
  });

  it('names the event after one that was deleted', async () => {
    const next = await event(3);
    await env.query('DELETE FROM audit_events WHERE seq = 2');
    const run = await env.run('audit:verify');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`audit chain BROKEN at event seq=3 id=${next.id} (SEQUENCE_GAP)\n`);
  });

  it('refuses arguments it does not take', async () => {
    const run = await env.run('audit:verify', ['--fix']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('audit:verify: takes no arguments (got "--fix")\n');
  });
});
