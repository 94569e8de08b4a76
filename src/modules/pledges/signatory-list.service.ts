import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { beijingDate } from '../../common/time/beijing.js';
import { ConventionsService } from './conventions.service.js';
import type { ConventionVersion } from './entities/convention-version.entity.js';
import { ObligationsService } from './obligations.service.js';
import { PledgesError } from './pledges.errors.js';

export const SIGNATORY_PAGE_DEFAULT = 50;
export const SIGNATORY_PAGE_MAX = 200;

/** How a firm stands on the public list of one version. */
export const SIGNATORY_STATUSES = [
  'signed',
  'superseded',
  'withdrawn',
  'expelled',
  'not_signed',
] as const;
export type SignatoryStatus = (typeof SIGNATORY_STATUSES)[number];

/** How staff see an obligation: "overdue" includes a pending one whose deadline has passed. */
export const STAFF_STATUSES = ['signed', 'pending', 'overdue', 'ended'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

/** One firm on the public list: nothing about the people who signed. */
export interface SignatoryEntry {
  firmId: string;
  firmName: string;
  firmNameEn: string | null;
  creditCode: string;
  status: SignatoryStatus;
  /** When the firm signed, or when its obligation ended; null while not signed. */
  date: string | null;
}

export interface VersionSummary {
  id: string;
  number: number;
  titleZh: string;
  titleEn: string | null;
  effectiveOn: string | null;
  fingerprint: string | null;
  /** The version members must have signed today. */
  inForce: boolean;
}

export interface SignatoryCounts {
  signed: number;
  outstanding: number;
}

export interface SignatoryPage {
  version: VersionSummary;
  counts: SignatoryCounts;
  items: SignatoryEntry[];
  nextCursor: string | null;
}

/** One obligation as staff see it. */
export interface StaffEntry {
  obligationId: string;
  firmId: string;
  firmName: string;
  firmNameEn: string | null;
  firmStatus: string;
  status: StaffStatus;
  deadlineOn: string;
  signedAt: string | null;
  endedAt: string | null;
  endedReason: string | null;
}

export interface StaffCounts {
  signed: number;
  pending: number;
  overdue: number;
}

export interface StaffPage {
  version: VersionSummary;
  counts: StaffCounts;
  items: StaffEntry[];
  nextCursor: string | null;
}

interface ListKey {
  name: string;
  id: string;
}

interface ObligationRow {
  id: string;
  firmId: string;
  state: string;
  deadlineOn: string;
  signedAt: Date | string | null;
  endedAt: Date | string | null;
  endedReason: string | null;
  name: string;
  nameEn: string | null;
  creditCode: string;
  firmStatus: string;
}

export function encodeSignatoryCursor(key: ListKey): string {
  return Buffer.from(JSON.stringify([key.name, key.id]), 'utf8').toString('base64url');
}

export function decodeSignatoryCursor(cursor: string): ListKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new PledgesError('SIGNATORY_CURSOR_INVALID');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    parsed[0].length > 200 ||
    !/^[0-9a-f-]{36}$/i.test(parsed[1])
  ) {
    throw new PledgesError('SIGNATORY_CURSOR_INVALID');
  }
  return { name: parsed[0], id: parsed[1] };
}

/**
 * A timestamp from a raw query: PostgreSQL gives a Date, SQLite the UTC text TypeORM wrote
 * ("2026-11-27 07:38:55.000", no zone), which must not be read as local time.
 */
function isoOrNull(value: Date | string | null): string | null {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  return new Date(zoned).toISOString();
}

/** The public status of one obligation; `superseded` once a later version is in force. */
export function publicStatus(
  row: Pick<ObligationRow, 'state' | 'signedAt' | 'endedReason'>,
  laterVersionInForce: boolean,
): SignatoryStatus {
  if (row.state === 'ended' && (row.endedReason === 'withdrawn' || row.endedReason === 'expelled'))
    return row.endedReason;
  if (row.signedAt !== null) return laterVersionInForce ? 'superseded' : 'signed';
  return 'not_signed';
}

/** The staff status of one obligation on `today` (Beijing date). */
export function staffStatus(
  row: Pick<ObligationRow, 'state' | 'deadlineOn'>,
  today: string,
): StaffStatus {
  if (row.state === 'signed' || row.state === 'ended' || row.state === 'overdue') return row.state;
  return row.deadlineOn < today ? 'overdue' : 'pending';
}

/**
 * Who is to sign each convention version and how far they are: the public signatory list (and
 * its CSV) and the staff view. Reads only. People look firms up by name, so both lists are in
 * name order and walk it by keyset; that needs the firm's name in the same statement (the
 * obligations service's own list goes by obligation id and looks names up per page), hence the
 * join on firms here. The staff view also counts a pending obligation past its deadline as
 * overdue before the daily job has flagged it.
 */
@Injectable()
export class SignatoryListService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly conventions: ConventionsService,
    private readonly obligations: ObligationsService,
  ) {}

  private get postgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /** A published version by the number people cite; drafts are "not found". */
  async version(
    versionNumber: number,
  ): Promise<{ entity: ConventionVersion; summary: VersionSummary }> {
    const [entity, current] = await Promise.all([
      this.conventions.getPublished(versionNumber),
      this.conventions.current(),
    ]);
    return {
      entity,
      summary: {
        id: entity.id,
        number: entity.versionNumber,
        titleZh: entity.titleZh,
        titleEn: entity.titleEn,
        effectiveOn: entity.effectiveOn,
        fingerprint: entity.fingerprint,
        inForce: current?.id === entity.id,
      },
    };
  }

  /** Published versions, newest first (the staff page's version picker). */
  publishedVersions(): Promise<ConventionVersion[]> {
    return this.conventions.listVersions();
  }

  async publicPage(
    versionNumber: number,
    options: { cursor?: string; limit?: number } = {},
  ): Promise<SignatoryPage> {
    const { summary } = await this.version(versionNumber);
    const limit = clampLimit(options.limit, SIGNATORY_PAGE_DEFAULT, SIGNATORY_PAGE_MAX);
    const after = options.cursor ? decodeSignatoryCursor(options.cursor) : null;
    const [rows, all, later] = await Promise.all([
      this.rows(summary.id, null, after, limit + 1),
      this.obligations.countsFor(summary.id),
      this.laterVersionInForce(summary),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      version: summary,
      counts: { signed: all.signed, outstanding: all.outstanding },
      items: page.map((row) => toEntry(row, later)),
      nextCursor: rows.length > limit && last ? encodeSignatoryCursor(last) : null,
    };
  }

  /** Every row of the public list, in name order, for the CSV export. */
  async *allEntries(versionNumber: number): AsyncGenerator<SignatoryEntry> {
    const { summary } = await this.version(versionNumber);
    const later = await this.laterVersionInForce(summary);
    let after: ListKey | null = null;
    for (;;) {
      const rows = await this.rows(summary.id, null, after, SIGNATORY_PAGE_MAX);
      for (const row of rows) yield toEntry(row, later);
      if (rows.length < SIGNATORY_PAGE_MAX) return;
      const last = rows[rows.length - 1];
      after = { name: last.name, id: last.id };
    }
  }

  async staffPage(
    versionNumber: number,
    options: { status?: StaffStatus; cursor?: string; limit?: number } = {},
    now = new Date(),
  ): Promise<StaffPage> {
    const { summary } = await this.version(versionNumber);
    const today = beijingDate(now);
    const limit = clampLimit(options.limit, SIGNATORY_PAGE_DEFAULT, SIGNATORY_PAGE_MAX);
    const after = options.cursor ? decodeSignatoryCursor(options.cursor) : null;
    const filter = options.status ? { status: options.status, today } : null;
    const [rows, counts] = await Promise.all([
      this.rows(summary.id, filter, after, limit + 1),
      this.staffCounts(summary.id, today),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      version: summary,
      counts,
      items: page.map((row) => ({
        obligationId: row.id,
        firmId: row.firmId,
        firmName: row.name,
        firmNameEn: row.nameEn,
        firmStatus: row.firmStatus,
        status: staffStatus(row, today),
        deadlineOn: row.deadlineOn,
        signedAt: isoOrNull(row.signedAt),
        endedAt: isoOrNull(row.endedAt),
        endedReason: row.endedReason,
      })),
      nextCursor: rows.length > limit && last ? encodeSignatoryCursor(last) : null,
    };
  }

  /** The unsigned obligations of a version among `firmIds` (all overdue ones when null). */
  async unsigned(
    versionId: string,
    firmIds: string[] | null,
    now = new Date(),
  ): Promise<Array<{ firmId: string; firmName: string; deadlineOn: string; overdue: boolean }>> {
    const today = beijingDate(now);
    const p = this.placeholder();
    const params: unknown[] = [versionId];
    let where = `o."conventionVersionId" = ${p(1)} AND o.state IN ('pending', 'overdue')`;
    if (firmIds === null) {
      params.push(today);
      where += ` AND (o.state = 'overdue' OR o."deadlineOn" < ${p(2)})`;
    } else {
      if (firmIds.length === 0) return [];
      where += ` AND o."firmId" IN (${firmIds.map((_, i) => p(i + 2)).join(', ')})`;
      params.push(...firmIds);
    }
    const rows = await this.dataSource.query<
      Array<{ firmId: string; name: string; deadlineOn: string; state: string }>
    >(
      `SELECT o."firmId" AS "firmId", f.name AS name, o."deadlineOn" AS "deadlineOn", o.state AS state
       FROM pledge_obligations o JOIN firms f ON f.id = o."firmId"
       WHERE ${where} ORDER BY f.name, o.id`,
      params,
    );
    return rows.map((r) => ({
      firmId: r.firmId,
      firmName: r.name,
      deadlineOn: r.deadlineOn,
      overdue: staffStatus(r, today) === 'overdue',
    }));
  }

  private placeholder(): (n: number) => string {
    return this.postgres ? (n) => `$${n}` : () => '?';
  }

  private async laterVersionInForce(summary: VersionSummary): Promise<boolean> {
    const current = await this.conventions.current();
    return current !== null && current.versionNumber > summary.number;
  }

  private async rows(
    versionId: string,
    filter: { status: StaffStatus; today: string } | null,
    after: ListKey | null,
    take: number,
  ): Promise<ObligationRow[]> {
    const p = this.placeholder();
    const params: unknown[] = [versionId];
    const next = (value: unknown): string => {
      params.push(value);
      return p(params.length);
    };
    const where = [`o."conventionVersionId" = ${p(1)}`];
    if (filter) {
      switch (filter.status) {
        case 'signed':
        case 'ended':
          where.push(`o.state = ${next(filter.status)}`);
          break;
        case 'pending':
          where.push(`o.state = 'pending' AND o."deadlineOn" >= ${next(filter.today)}`);
          break;
        case 'overdue':
          where.push(
            `(o.state = 'overdue' OR (o.state = 'pending' AND o."deadlineOn" < ${next(filter.today)}))`,
          );
          break;
      }
    }
    if (after) {
      const name = next(after.name);
      const name2 = next(after.name);
      const id = next(after.id);
      where.push(`(f.name > ${name} OR (f.name = ${name2} AND o.id > ${id}))`);
    }
    const limit = next(take);
    return this.dataSource.query<ObligationRow[]>(
      `SELECT o.id AS id, o."firmId" AS "firmId", o.state AS state, o."deadlineOn" AS "deadlineOn",
              o."signedAt" AS "signedAt", o."endedAt" AS "endedAt", o."endedReason" AS "endedReason",
              f.name AS name, f."nameEn" AS "nameEn", f."creditCode" AS "creditCode",
              f.status AS "firmStatus"
       FROM pledge_obligations o JOIN firms f ON f.id = o."firmId"
       WHERE ${where.join(' AND ')}
       ORDER BY f.name, o.id
       LIMIT ${limit}`,
      params,
    );
  }

  private async staffCounts(versionId: string, today: string): Promise<StaffCounts> {
    const p = this.placeholder();
    const [row] = await this.dataSource.query<
      Array<{ signed: unknown; pending: unknown; overdue: unknown }>
    >(
      `SELECT
         SUM(CASE WHEN o.state = 'signed' THEN 1 ELSE 0 END) AS signed,
         SUM(CASE WHEN o.state = 'pending' AND o."deadlineOn" >= ${p(1)} THEN 1 ELSE 0 END) AS pending,
         SUM(CASE WHEN o.state = 'overdue' OR (o.state = 'pending' AND o."deadlineOn" < ${p(2)}) THEN 1 ELSE 0 END) AS overdue
       FROM pledge_obligations o WHERE o."conventionVersionId" = ${p(3)}`,
      // Placeholders in the order they appear: SQLite's ? are positional.
      [today, today, versionId],
    );
    return {
      signed: Number(row?.signed ?? 0),
      pending: Number(row?.pending ?? 0),
      overdue: Number(row?.overdue ?? 0),
    };
  }
}

function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  return Math.min(Math.max(Math.trunc(limit ?? fallback), 1), max);
}

function toEntry(row: ObligationRow, laterVersionInForce: boolean): SignatoryEntry {
  const status = publicStatus(row, laterVersionInForce);
  const ended = status === 'withdrawn' || status === 'expelled';
  return {
    firmId: row.firmId,
    firmName: row.name,
    firmNameEn: row.nameEn,
    creditCode: row.creditCode,
    status,
    date: ended ? isoOrNull(row.endedAt) : isoOrNull(row.signedAt),
  };
}
