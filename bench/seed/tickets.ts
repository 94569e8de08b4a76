import type Database from 'better-sqlite3';
import type pg from 'pg';
import { beijingYear, startOfBeijingDate } from '../../src/common/time/beijing.js';
import { COMPLAINT_CATEGORIES } from '../../src/modules/disputes/categories.js';
import { CURRENT_RULES } from '../../src/modules/disputes/mediation-rules.js';
import { firmId, mediatorId, seededId, sqlUuid, ticketId, userId } from './ids.js';

/**
 * Seeded dispute tickets: ticket i's columns follow from i alone, so SQLite gets them from
 * `ticketRow` and PostgreSQL computes the very same rows in SQL (generate_series), which is
 * what makes a million tickets take seconds there.
 */

/** Ticket states by i % 20: mostly open work, some closed, 1 in 20 a draft. */
export const TICKET_STATES = [
  'draft',
  'filed',
  'filed',
  'awaiting_response',
  'awaiting_response',
  'awaiting_response',
  'in_mediation',
  'in_mediation',
  'in_mediation',
  'in_mediation',
  'in_mediation',
  'settled',
  'settled',
  'mediation_failed',
  'withdrawn',
  'rejected',
  'closed',
  'closed',
  'closed',
  'closed',
];

/** Ticket i is created at BASE + i × stepSeconds. */
const BASE = Date.UTC(2024, 0, 1);

/**
 * The shape of a ticket data set.
 * - 'list-bench' (bench/disputes-list.ts): numbers SZIFA-M-2026-<i, 7 digits>; a mediated
 *   ticket i goes to mediator i % mediators; no filing times.
 * - 'realistic' (the HTTP benchmark): numbers SZIFA-M-<year>-<seq> as filing gives them (per
 *   Beijing year, drafts unnumbered); mediated tickets go to mediators in blocks of 20, so each
 *   mediator has a mix of open and closed work; filing and assignment times set; some text.
 */
export interface TicketPlan {
  count: number;
  firms: number;
  complainants: number;
  mediators: number;
  stepSeconds: number;
  flavour: 'list-bench' | 'realistic';
}

const LIST_BENCH_COLUMNS = [
  'id',
  'number',
  'state',
  '"complainantUserId"',
  '"firmId"',
  'category',
  '"amountFen"',
  'facts',
  'claim',
  '"mediatorUserId"',
  'assignment',
  '"createdAt"',
  '"updatedAt"',
  'version',
];
const REALISTIC_COLUMNS = [
  ...LIST_BENCH_COLUMNS,
  '"filedAt"',
  '"assignedAt"',
  '"mediatorAcceptedAt"',
  '"consentVersion"',
];

const FACTS =
  '借款到期后平台继续按日收取服务费，客服拒绝说明计费依据。' +
  ' After the loan was repaid the platform kept charging a daily service fee.';
const CLAIM =
  '退还多收取的服务费并出具结清证明。 Refund the extra fees and issue a settlement letter.';

export function ticketColumns(plan: TicketPlan): string[] {
  return plan.flavour === 'realistic' ? REALISTIC_COLUMNS : LIST_BENCH_COLUMNS;
}

const isDraft = (i: number): boolean => i % 20 === 0;

function isMediated(i: number): boolean {
  return i % 4 === 0 && !isDraft(i);
}

function mediatorOf(plan: TicketPlan, i: number): number {
  return plan.flavour === 'realistic' ? Math.floor(i / 20) % plan.mediators : i % plan.mediators;
}

/**
 * Who ticket i is against or by: (i × multiplier) mod n. 'realistic' adds one per pass over the
 * n owners, so that an owner's tickets do not all share i mod 20 (hence one state) when 20
 * divides n.
 */
function ownerOf(plan: TicketPlan, i: number, multiplier: number, n: number): number {
  const shift = plan.flavour === 'realistic' ? Math.floor(i / n) : 0;
  return (i * multiplier + shift) % n;
}

function ownerSql(plan: TicketPlan, multiplier: number, n: number): string {
  const shift = plan.flavour === 'realistic' ? ` + i / ${n}` : '';
  return `(i::bigint * ${multiplier}${shift}) % ${n}`;
}

const firmOf = (plan: TicketPlan, i: number): number => ownerOf(plan, i, 7919, plan.firms);
const complainantOf = (plan: TicketPlan, i: number): number =>
  ownerOf(plan, i, 31, plan.complainants);

/** Drafts (multiples of 20) among tickets 0 … a-1. */
const draftsBefore = (a: number): number => Math.floor((a + 19) / 20);

/** The first ticket created in each Beijing year the plan spans ('realistic' numbering). */
export function ticketYears(plan: TicketPlan): Array<{ year: number; first: number }> {
  const step = plan.stepSeconds * 1000;
  const last = BASE + Math.max(0, plan.count - 1) * step;
  const years: Array<{ year: number; first: number }> = [];
  for (let year = beijingYear(new Date(BASE)); year <= beijingYear(new Date(last)); year++) {
    const start = startOfBeijingDate(`${year}-01-01`).getTime();
    years.push({ year, first: Math.max(0, Math.ceil((start - BASE) / step)) });
  }
  return years;
}

/** Filing sequence of non-draft ticket i within its year (1-based). */
function yearlySeq(i: number, first: number): number {
  return i - first - (draftsBefore(i) - draftsBefore(first)) + 1;
}

/**
 * The sequence_counters rows filing would have left behind ('realistic'): per year, the last
 * number given, so that tickets filed through the API continue the numbering.
 */
export function ticketCounters(plan: TicketPlan): Array<{ name: string; value: number }> {
  const years = ticketYears(plan);
  return years.flatMap(({ year, first }, k) => {
    const end = k + 1 < years.length ? years[k + 1].first : plan.count;
    const value = end > first ? yearlySeq(end, first) - 1 : 0;
    return value > 0 ? [{ name: `dispute-ticket-${year}`, value }] : [];
  });
}

function ticketNumber(plan: TicketPlan, i: number, years: Array<{ year: number; first: number }>) {
  if (isDraft(i)) return null;
  if (plan.flavour === 'list-bench') return `SZIFA-M-2026-${String(i).padStart(7, '0')}`;
  let k = years.length - 1;
  while (k > 0 && i < years[k].first) k--;
  const { year, first } = years[k];
  return `SZIFA-M-${year}-${String(yearlySeq(i, first)).padStart(6, '0')}`;
}

/** Column values of ticket i, in `ticketColumns(plan)` order; `at` turns ms into a time value. */
export function ticketRow(
  plan: TicketPlan,
  i: number,
  at: (ms: number) => unknown,
  years = ticketYears(plan),
): unknown[] {
  const state = TICKET_STATES[i % 20];
  const mediated = isMediated(i);
  const ms = BASE + i * plan.stepSeconds * 1000;
  const created = at(ms);
  const realistic = plan.flavour === 'realistic';
  const row = [
    ticketId(i),
    ticketNumber(plan, i, years),
    state,
    userId(complainantOf(plan, i)),
    firmId(firmOf(plan, i)),
    COMPLAINT_CATEGORIES[Math.floor(i / 20) % 7],
    (i % 100_000) * 100,
    realistic ? FACTS : '',
    realistic ? CLAIM : '',
    mediated ? mediatorId(mediatorOf(plan, i)) : null,
    mediated ? 'accepted' : 'none',
    created,
    created,
    1,
  ];
  if (!realistic) return row;
  const filed = isDraft(i) ? null : created;
  const assigned = mediated ? created : null;
  return [...row, filed, assigned, assigned, isDraft(i) ? null : CURRENT_RULES.version];
}

/** The ticket a plan gives to mediator m that is in mediation ('realistic' only), or -1. */
export function openTicketOf(plan: TicketPlan, m: number): number {
  // Block b (tickets 20b … 20b+19) belongs to mediator b % mediators; its ticket 20b+8 is
  // mediated (8 % 4 = 0) and in mediation (TICKET_STATES[8]).
  const i = 20 * m + 8;
  return plan.flavour === 'realistic' && i < plan.count ? i : -1;
}

export const sqliteTime = (ms: number): string =>
  new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** Tickets per multi-row INSERT (SQLite). */
const ROWS_PER_INSERT = 500;

/** Loads the tickets and their triage deadlines (1 in 100 overdue), 50,000 per transaction. */
export function loadTicketsSqlite(db: Database.Database, plan: TicketPlan): void {
  const columns = ticketColumns(plan);
  const marks = `(${columns.map(() => '?').join(', ')})`;
  const insertSql = (rows: number): string =>
    `INSERT INTO dispute_tickets (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => marks).join(', ')}`;
  const insert = db.prepare(insertSql(ROWS_PER_INSERT));
  const insertDeadline = db.prepare(
    `INSERT INTO dispute_deadlines (id, "ticketId", "firmId", kind, "startedOn", "dueOn", status, "metAt", "breachedAt", "createdAt") VALUES (?, ?, ?, 'triage', ?, ?, 'open', NULL, NULL, ?)`,
  );
  const years = ticketYears(plan);
  const load = db.transaction((from: number, to: number) => {
    for (let start = from; start < to; start += ROWS_PER_INSERT) {
      const end = Math.min(start + ROWS_PER_INSERT, to);
      const params: unknown[] = [];
      for (let i = start; i < end; i++) params.push(...ticketRow(plan, i, sqliteTime, years));
      (end - start === ROWS_PER_INSERT ? insert : db.prepare(insertSql(end - start))).run(
        ...params,
      );
    }
    for (let i = from; i < to; i++) {
      const overdue = i % 100 === 1;
      if (!overdue && i % 100 !== 2) continue;
      insertDeadline.run(
        seededId('deadline', i),
        ticketId(i),
        firmId(firmOf(plan, i)),
        '2026-01-01',
        overdue ? '2026-01-05' : '2099-01-05',
        sqliteTime(BASE + i * plan.stepSeconds * 1000),
      );
    }
  });
  const chunk = 50_000;
  for (let from = 0; from < plan.count; from += chunk)
    load(from, Math.min(from + chunk, plan.count));
}

const sqlText = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** The same rows as `ticketRow`, computed by PostgreSQL for `i` from generate_series. */
function ticketSelectSql(plan: TicketPlan): string {
  const states = `ARRAY[${TICKET_STATES.map((s) => `'${s}'`).join(',')}]`;
  const categories = `ARRAY[${COMPLAINT_CATEGORIES.map((c) => `'${c}'`).join(',')}]`;
  const realistic = plan.flavour === 'realistic';
  const created = `timestamptz '2024-01-01 00:00:00+00' + i * interval '${plan.stepSeconds} second'`;
  const mediated = 'i % 4 = 0 AND i % 20 <> 0';
  const mediator = realistic ? `(i / 20) % ${plan.mediators}` : `i % ${plan.mediators}`;
  let number = `'SZIFA-M-2026-' || lpad(i::text, 7, '0')`;
  if (realistic) {
    const seq = (first: number): string =>
      `(i - ${first} - ((i + 19) / 20 - ${Math.floor((first + 19) / 20)}) + 1)::text`;
    const padded = (first: number): string =>
      `lpad(${seq(first)}, greatest(6, length(${seq(first)})), '0')`;
    const years = ticketYears(plan);
    number = `CASE ${years
      .slice()
      .reverse()
      .map(({ year, first }) => `WHEN i >= ${first} THEN 'SZIFA-M-${year}-' || ${padded(first)}`)
      .join(' ')} END`;
  }
  const common = `${sqlUuid('ticket', 'i')},
             CASE WHEN i % 20 = 0 THEN NULL ELSE ${number} END,
             (${states})[i % 20 + 1],
             ${sqlUuid('complainant', ownerSql(plan, 31, plan.complainants))},
             ${sqlUuid('firm', ownerSql(plan, 7919, plan.firms))},
             (${categories})[(i / 20) % 7 + 1],
             (i % 100000) * 100, ${realistic ? `${sqlText(FACTS)}, ${sqlText(CLAIM)}` : "'', ''"},
             CASE WHEN ${mediated} THEN ${sqlUuid('mediator', mediator)} END,
             CASE WHEN ${mediated} THEN 'accepted' ELSE 'none' END,
             ${created},
             ${created},
             1`;
  if (!realistic) return common;
  return `${common},
             CASE WHEN i % 20 <> 0 THEN ${created} END,
             CASE WHEN ${mediated} THEN ${created} END,
             CASE WHEN ${mediated} THEN ${created} END,
             CASE WHEN i % 20 <> 0 THEN '${CURRENT_RULES.version}' END`;
}

/** Loads the tickets and their triage deadlines, 100,000 tickets per statement. */
export async function loadTicketsPostgres(client: pg.Client, plan: TicketPlan): Promise<void> {
  const select = ticketSelectSql(plan);
  const chunk = 100_000;
  for (let from = 0; from < plan.count; from += chunk) {
    const to = Math.min(from + chunk, plan.count) - 1;
    await client.query(`
      INSERT INTO dispute_tickets (${ticketColumns(plan).join(', ')})
      SELECT ${select}
      FROM generate_series(${from}, ${to}) AS i`);
  }
  await client.query(`
    INSERT INTO dispute_deadlines (id, "ticketId", "firmId", kind, "startedOn", "dueOn", status, "createdAt")
    SELECT ${sqlUuid('deadline', 'i')}, ${sqlUuid('ticket', 'i')},
           ${sqlUuid('firm', ownerSql(plan, 7919, plan.firms))}, 'triage', '2026-01-01',
           CASE WHEN i % 100 = 1 THEN '2026-01-05' ELSE '2099-01-05' END, 'open',
           timestamptz '2024-01-01 00:00:00+00' + i * interval '${plan.stepSeconds} second'
    FROM generate_series(0, ${plan.count - 1}) AS i WHERE i % 100 IN (1, 2)`);
}
