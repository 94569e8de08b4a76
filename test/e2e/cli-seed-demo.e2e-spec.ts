import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/app-config.js';
import { DEMO_DOMAIN, DEMO_PASSWORDS } from '../../src/database/seeds/demo-data.js';
import { isValidCreditCode } from '../../src/modules/membership/credit-code.js';
import { DISTRICT_KEYS } from '../../src/modules/membership/districts.js';
import { col, openCliEnv, type CliEnv, type CliRun } from './cli-env.js';

interface UserRow {
  email: string;
  role: string;
  firmId: string | null;
  verified: unknown;
}

interface FirmRow {
  id: string;
  creditCode: string;
  district: string;
  status: string;
}

describe('cli seed:demo', () => {
  let env: CliEnv;
  let first: CliRun;
  let users: UserRow[];
  let firms: FirmRow[];

  beforeAll(async () => {
    env = await openCliEnv();
    first = await env.run('seed:demo');
    users = await env.query<UserRow>(
      `SELECT email, role, ${col(env, 'firmId')} AS "firmId", ${col(env, 'emailVerifiedAt')} AS verified FROM users`,
    );
    firms = await env.query<FirmRow>(
      `SELECT id, ${col(env, 'creditCode')} AS "creditCode", district, status FROM firms`,
    );
  });
  afterAll(() => env.close());

  const countRole = (role: string): number => users.filter((u) => u.role === role).length;

  it('fills an empty database with a living association', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(countRole('staff_admin')).toBe(2);
    expect(countRole('staff_reviewer')).toBe(2);
    expect(countRole('mediator')).toBe(4);
    expect(countRole('complainant')).toBe(6);
    expect(firms.length).toBeGreaterThanOrEqual(18);
    expect(firms.filter((f) => f.status === 'applicant').length).toBeGreaterThanOrEqual(2);
    expect(firms.filter((f) => f.status === 'active').length).toBeGreaterThan(firms.length / 2);
  });

  it('prints the demo logins: one password per role', () => {
    for (const [role, password] of Object.entries(DEMO_PASSWORDS)) {
      expect(first.stdout).toMatch(new RegExp(`^${role} +${password} +\\S+@\\S+ +\\d+$`, 'm'));
    }
    expect(first.stdout).toContain(`admin@${DEMO_DOMAIN}`);
  });

  it('refuses a second run on a database that has users', async () => {
    const again = await env.run('seed:demo');
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('only fills an empty database'),
    ]);
    expect(await env.query(`SELECT id FROM users`)).toHaveLength(users.length);
  });

  it('refuses to run in production, where its passwords would be public', async () => {
    const production = loadConfig({
      ...process.env,
      NODE_ENV: 'production',
      APP_SECRET: 'x'.repeat(40),
    });
    const run = await env.run('seed:demo', [], production);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('NODE_ENV=production');
  });

  it('lets the demo admin sign in through the API with the printed password', async () => {
    const res = await env.signIn(`admin@${DEMO_DOMAIN}`, DEMO_PASSWORDS.staff_admin);
    expect(res.status).toBe(200);
    expect(res.body.me).toEqual(
      expect.objectContaining({ role: 'staff_admin', emailVerified: true }),
    );
  });

  it('lets a firm administrator sign in with the firm password', async () => {
    const firmAdmin = users.find((u) => u.role === 'firm_admin')!;
    const res = await env.signIn(firmAdmin.email, DEMO_PASSWORDS.firm_admin);
    expect(res.status).toBe(200);
    expect(res.body.me).toEqual(
      expect.objectContaining({ role: 'firm_admin', firmId: firmAdmin.firmId }),
    );
  });

  it('gives every firm a valid and unique unified social credit code', () => {
    for (const firm of firms) expect(isValidCreditCode(firm.creditCode)).toBe(true);
    expect(new Set(firms.map((f) => f.creditCode)).size).toBe(firms.length);
  });

  it('has member firms in every district', () => {
    expect(new Set(firms.map((f) => f.district))).toEqual(new Set(DISTRICT_KEYS));
  });

  it('gives every firm one firm admin and one or two members under the firm’s own domain', () => {
    for (const firm of firms) {
      const staff = users.filter((u) => u.firmId === firm.id);
      expect(staff.filter((u) => u.role === 'firm_admin')).toHaveLength(1);
      const members = staff.filter((u) => u.role === 'firm_member').length;
      expect(members).toBeGreaterThanOrEqual(1);
      expect(members).toBeLessThanOrEqual(2);
      const domains = new Set(staff.map((u) => u.email.split('@')[1]));
      expect(domains.size).toBe(1);
      expect([...domains][0]).toMatch(
        new RegExp(`^[a-z0-9-]+\\.${DEMO_DOMAIN.replace(/\./g, '\\.')}$`),
      );
    }
  });

  it('gives every demo account a verified address under the demo domain', () => {
    for (const user of users) {
      expect(user.email.endsWith(`.${DEMO_DOMAIN}`) || user.email.endsWith(`@${DEMO_DOMAIN}`)).toBe(
        true,
      );
      expect(user.verified).not.toBeNull();
    }
  });

  it('records an audit event for every account and firm it created, and the chain verifies', async () => {
    const actions = await env.query<{ action: string; n: unknown }>(
      `SELECT action, COUNT(*) AS n FROM audit_events GROUP BY action`,
    );
    const count = (action: string): number =>
      Number(actions.find((a) => a.action === action)?.n ?? 0);
    expect(count('user.created')).toBe(users.length);
    expect(count('firm.created')).toBe(firms.length);
    expect(count('firm.status_changed')).toBe(firms.filter((f) => f.status === 'active').length);
    const verify = await env.run('audit:verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('audit chain OK');
  });

  it('matches the demo logins README.md lists', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const password of Object.values(DEMO_PASSWORDS)) expect(readme).toContain(password);
    expect(readme).toContain(`admin@${DEMO_DOMAIN}`);
  });
});
