import type { Role } from '../common/auth/roles.js';
import type { AppConfig } from '../config/app-config.js';
import { DEMO_PASSWORDS } from '../database/seeds/demo-data.js';
import { DemoDatabaseNotEmpty, seedDemo, type DemoSeedResult } from '../database/seeds/demo.js';
import type { User } from '../modules/users/entities/user.entity.js';
import { expectNoArguments } from './args.js';
import { withAppContext } from './context.js';
import { CliFailure, say, type CliIo } from './io.js';

/** `seed:demo`: fills an empty database with the demo association and prints its logins. */
export async function seedDemoCommand(
  config: AppConfig,
  args: string[],
  io: CliIo,
): Promise<number> {
  expectNoArguments('seed:demo', args);
  if (config.isProduction) {
    throw new CliFailure(
      'seed:demo: refused with NODE_ENV=production: demo accounts have published passwords.',
    );
  }
  let result: DemoSeedResult;
  try {
    result = await withAppContext(config, seedDemo);
  } catch (error) {
    if (error instanceof DemoDatabaseNotEmpty) throw new CliFailure(error.message);
    throw error;
  }
  for (const line of describeSeed(result, config.PUBLIC_URL)) say(io, line);
  return 0;
}

/** The summary and the table of demo logins (one password per role). */
export function describeSeed(result: DemoSeedResult, publicUrl: string): string[] {
  const firmUsers = result.firms.flatMap((f) => [f.admin, ...f.members]);
  const byStatus = new Map<string, number>();
  for (const { firm } of result.firms)
    byStatus.set(firm.status, (byStatus.get(firm.status) ?? 0) + 1);
  const statuses = [...byStatus].map(([status, count]) => `${count} ${status}`).join(', ');
  const byRole: Array<[Role, User[]]> = [
    ['staff_admin', result.staffAdmins],
    ['staff_reviewer', result.reviewers],
    ['mediator', result.mediators],
    ['firm_admin', result.firms.map((f) => f.admin)],
    ['firm_member', result.firms.flatMap((f) => f.members)],
    ['complainant', result.complainants],
  ];
  const rows = [
    ['Role', 'Password', 'Example login', 'Accounts'],
    ...byRole.map(([role, users]) => [
      role,
      DEMO_PASSWORDS[role],
      users[0]?.email ?? '-',
      String(users.length),
    ]),
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  const format = (row: string[]): string =>
    row
      .map((cell, col) => cell.padEnd(widths[col]))
      .join('  ')
      .trimEnd();
  return [
    `Demo data created: ${result.staffAdmins.length} staff admins, ${result.reviewers.length} reviewers, ` +
      `${result.mediators.length} mediators, ${result.firms.length} member firms ` +
      `(${statuses}) with ${firmUsers.length} firm users, ` +
      `${result.complainants.length} complainants.`,
    `Complaints: ${result.tickets.length} (${[...new Set(result.tickets.map((t) => t.state))].join(', ')}).`,
    `Ratings: ${result.ratings.cycles.length} cycles (${result.ratings.cycles.map((c) => `${c.nameZh} ${c.state}`).join(', ')}), ` +
      `${result.ratings.published.length} grades published, ${result.ratings.appeals} appeals.`,
    '',
    format(rows[0]),
    format(widths.map((w) => '-'.repeat(w))),
    ...rows.slice(1).map(format),
    '',
    "Every account of a role shares that role's password. Firm administrators sign in as",
    'admin@<firm>.demo.szifa.org.cn; all e-mail addresses are already verified.',
    `Sign in at ${publicUrl}/`,
  ];
}
