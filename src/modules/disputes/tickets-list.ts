import type { EntityManager } from 'typeorm';
import { DisputesError } from './disputes.errors.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import type { ComplaintCategory } from './categories.js';
import type { TicketState } from './ticket.state.js';

export const TICKET_PAGE_DEFAULT = 20;
export const TICKET_PAGE_MAX = 100;

/** Whose tickets a list may contain: derived from the caller's role, never from the query. */
export type TicketScope =
  | { kind: 'complainant'; userId: string }
  | { kind: 'firm'; firmId: string }
  | { kind: 'mediator'; userId: string }
  | { kind: 'staff' };

/** Staff filters (others' lists take `state` only). */
export interface TicketListFilters {
  state?: TicketState;
  category?: ComplaintCategory;
  firmId?: string;
  mediatorUserId?: string;
  number?: string;
  overdue?: boolean;
}

/** The columns a list row needs (no free text: facts, claims and notes stay on the ticket). */
export const LIST_COLUMNS = [
  'id',
  'number',
  'state',
  'complainantUserId',
  'firmId',
  'category',
  'amountFen',
  'mediatorUserId',
  'assignment',
  'filedAt',
  'triagedAt',
  'createdAt',
  'version',
] as const satisfies ReadonlyArray<keyof DisputeTicket>;

/** Where the previous page ended: the last row's (createdAt, id). */
export interface TicketKey {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeTicketCursor(key: TicketKey): string {
  return Buffer.from(`${key.at.toISOString()}|${key.id}`, 'utf8').toString('base64url');
}

export function decodeTicketCursor(cursor: string): TicketKey {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (rest.length > 0 || !id || !UUID.test(id) || Number.isNaN(date.getTime()))
    throw new DisputesError('CURSOR_INVALID');
  return { at: date, id };
}

export function clampLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? TICKET_PAGE_DEFAULT), 1), TICKET_PAGE_MAX);
}

export type Dialect = 'sqlite' | 'postgres';

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** A list row: the LIST_COLUMNS of a ticket. */
export type TicketListRow = Pick<DisputeTicket, (typeof LIST_COLUMNS)[number]>;

/** How each engine stores an instant: SQLite keeps TypeORM's UTC text, PostgreSQL timestamptz. */
function instantParam(dialect: Dialect, at: Date): string | Date {
  return dialect === 'sqlite' ? at.toISOString().replace('T', ' ').replace('Z', '') : at;
}

function instantOf(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/**
 * One page of tickets, newest first, keyset on (createdAt DESC, id DESC), as one SQL statement
 * (what TicketsService.list runs, and what bench/disputes-list.ts times bare). Each scope and
 * each staff filter leads with a column that has an index ending in (createdAt, id), so the page
 * is read straight off that index whatever the size of the table:
 *   complainant → IDX_dispute_tickets_complainant, firm → _firm, mediator → _mediator,
 *   staff: number → _number (one row), mediatorUserId → _mediator, firmId → _firm,
 *   state → _state, category → _category, overdue → IDX_dispute_deadlines_open, none → _created.
 * Further filters narrow the rows the leading index yields. Asks for limit + 1 rows: the extra
 * one says whether there is a next page.
 */
export function ticketPageSql(
  dialect: Dialect,
  scope: TicketScope,
  filters: TicketListFilters,
  after: TicketKey | null,
  limit: number,
  today: string,
): SqlStatement {
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return dialect === 'postgres' ? `$${params.length}` : '?';
  };
  const where: string[] = [];
  switch (scope.kind) {
    case 'complainant':
      where.push(`t."complainantUserId" = ${p(scope.userId)}`);
      break;
    case 'firm':
      where.push(`t."firmId" = ${p(scope.firmId)}`, `t.state <> 'draft'`);
      break;
    case 'mediator':
      where.push(
        `t."mediatorUserId" = ${p(scope.userId)}`,
        `t.assignment IN ('offered', 'accepted')`,
      );
      break;
    case 'staff':
      where.push(`t.state <> 'draft'`);
      if (filters.number !== undefined)
        where.push(`t.number = ${p(filters.number.trim().toUpperCase())}`);
      if (filters.mediatorUserId !== undefined)
        where.push(`t."mediatorUserId" = ${p(filters.mediatorUserId)}`);
      if (filters.firmId !== undefined) where.push(`t."firmId" = ${p(filters.firmId)}`);
      if (filters.category !== undefined) where.push(`t.category = ${p(filters.category)}`);
      if (filters.overdue === true)
        where.push(
          `t.id IN (SELECT d."ticketId" FROM dispute_deadlines d WHERE d.status = 'open' AND d."dueOn" < ${p(today)})`,
        );
      break;
  }
  if (filters.state !== undefined) where.push(`t.state = ${p(filters.state)}`);
  if (after)
    where.push(`(t."createdAt", t.id) < (${p(instantParam(dialect, after.at))}, ${p(after.id)})`);
  const columns = LIST_COLUMNS.map((c) => `t."${c}"`).join(', ');
  return {
    sql:
      `SELECT ${columns} FROM dispute_tickets t WHERE ${where.join(' AND ')} ` +
      `ORDER BY t."createdAt" DESC, t.id DESC LIMIT ${p(limit + 1)}`,
    params,
  };
}

/** Typed list rows from the driver's raw rows (dates as text on SQLite, bigint as text on PG). */
export function toTicketListRow(raw: Record<string, unknown>): TicketListRow {
  const optionalInstant = (v: unknown): Date | null => (v === null ? null : instantOf(v));
  return {
    id: raw.id as string,
    number: raw.number as string | null,
    state: raw.state as TicketState,
    complainantUserId: raw.complainantUserId as string,
    firmId: raw.firmId as string | null,
    category: raw.category as ComplaintCategory | null,
    amountFen: raw.amountFen === null ? null : Number(raw.amountFen),
    mediatorUserId: raw.mediatorUserId as string | null,
    assignment: raw.assignment as DisputeTicket['assignment'],
    filedAt: optionalInstant(raw.filedAt),
    triagedAt: optionalInstant(raw.triagedAt),
    createdAt: instantOf(raw.createdAt),
    version: Number(raw.version),
  };
}

/** Runs ticketPageSql through TypeORM and types the rows. */
export async function fetchTicketPage(
  manager: EntityManager,
  scope: TicketScope,
  filters: TicketListFilters,
  after: TicketKey | null,
  limit: number,
  today: string,
): Promise<TicketListRow[]> {
  const dialect: Dialect = manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
  const { sql, params } = ticketPageSql(dialect, scope, filters, after, limit, today);
  const rows = await manager.query<Array<Record<string, unknown>>>(sql, params);
  return rows.map(toTicketListRow);
}
