import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository, type SelectQueryBuilder } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate, beijingYear, startOfBeijingDate } from '../../common/time/beijing.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { CATEGORIES, CATEGORY_KEYS, type Category } from './categories.js';
import { DISTRICTS, type District } from './districts.js';
import { formatFen } from './dues.js';
import { DuesService } from './dues.service.js';
import { FirmCategory } from './entities/firm-category.entity.js';
import { FirmRevision } from './entities/firm-revision.entity.js';
import { FirmStatusEvent } from './entities/firm-status-event.entity.js';
import { Firm, type FirmStatus, type TierCode } from './entities/firm.entity.js';
import { firmSearchText } from './firm-access.js';
import { MembershipTier } from './entities/membership-tier.entity.js';
import {
  checkImportRows,
  CSV_BOM,
  csvRecord,
  decodeCsvBytes,
  IMPORT_MAX_BYTES,
  readImportFile,
  recordCreditCode,
  recordName,
  type ImportProblem,
  type ImportRow,
} from './members-csv.js';
import { MembershipError } from './membership.errors.js';

export const MEMBER_PAGE_MAX = 100;
export const MEMBER_PAGE_DEFAULT = 50;

/** The status a firm takes when imported; its public record says why. */
const IMPORTED_REASON = 'imported';
/** Keyset batches the export reads, so a large list never sits in memory as entities. */
const EXPORT_BATCH = 500;
/** Rows inserted per statement: far below every database's parameter limit (23 columns a firm). */
const WRITE_BATCH = 200;
/** Lookups of a file's codes and names go in chunks well under every database's parameter limit. */
const LOOKUP_CHUNK = 500;

type AuditActor = Pick<Actor, 'id' | 'role'>;

/** The filters of the staff member list (and of its CSV export). */
export interface MemberFilters {
  status?: FirmStatus;
  tier?: TierCode;
  district?: District;
  category?: Category;
  /** Part of the Chinese or English name, or the start of the credit code. */
  q?: string;
}

export interface MemberListQuery extends MemberFilters {
  /** The previous page's nextCursor. */
  cursor?: string;
  limit?: number;
}

/** One row of the staff member list. */
export interface MemberListItem {
  id: string;
  name: string;
  nameEn: string | null;
  creditCode: string;
  district: string;
  tier: TierCode | null;
  status: FirmStatus;
  memberSince: string | null;
  /** Sum of the balances of the firm's open invoices, in fen. */
  balanceDueFen: number;
  /** The same in yuan, formatted: "12,500.00". */
  balanceDue: string;
}

export interface MemberPage {
  items: MemberListItem[];
  /** Firms matching the filters, over all pages. */
  total: number;
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

export interface ImportedFirm {
  id: string;
  line: number;
  name: string;
  creditCode: string;
}

export interface ImportResult {
  /** Names this import in the audit trail (each firm's event carries it too). */
  batchId: string;
  imported: number;
  firms: ImportedFirm[];
}

interface Cursor {
  name: string;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.name, cursor.id]), 'utf8').toString('base64url');
}

function decodeCursor(value: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      return { name: parsed[0], id: parsed[1] };
    }
  } catch {
    // Falls through to the error below: a cursor is only ever what a page handed out.
  }
  throw new MembershipError('MEMBER_CURSOR_INVALID');
}

/** LIKE pattern pieces: % and _ in what people type are meant literally. */
function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A revision's changes for an imported firm: every field the file gave, from nothing. */
function importedFields(row: ImportRow): Record<string, { from: null; to: unknown }> {
  const recorded: Record<string, unknown> = {
    name: row.name,
    nameEn: row.nameEn,
    creditCode: row.creditCode,
    district: row.district,
    tier: row.tier,
    memberSince: row.memberSince,
    legalRepresentative: row.legalRepresentative,
    contactEmail: row.contactEmail,
    categories: row.categories.length > 0 ? row.categories : null,
  };
  return Object.fromEntries(
    Object.entries(recorded)
      .filter(([, value]) => value !== null)
      .map(([field, value]) => [field, { from: null, to: value }]),
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The staff side of the member register: the filtered list, its CSV export, and the import of
 * firms that were members before the platform existed.
 */
@Injectable()
export class MembersService {
  constructor(
    @InjectRepository(Firm) private readonly firms: Repository<Firm>,
    @InjectRepository(MembershipTier) private readonly tiers: Repository<MembershipTier>,
    @InjectRepository(FirmCategory) private readonly categories: Repository<FirmCategory>,
    private readonly dues: DuesService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly tx: TransactionService,
  ) {}

  /** One page of firms in name order (keyset on name, id), with what each still owes. */
  async list(query: MemberListQuery): Promise<MemberPage> {
    const limit = Math.min(Math.max(query.limit ?? MEMBER_PAGE_DEFAULT, 1), MEMBER_PAGE_MAX);
    const qb = this.filtered(query);
    const total = await qb.clone().getCount();
    if (query.cursor) this.after(qb, decodeCursor(query.cursor));
    // One extra row says whether another page follows.
    const rows = await qb.take(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: await this.withBalances(page),
      total,
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  /**
   * The filtered list as CSV for Excel: UTF-8 with a byte-order mark, RFC 4180 quoting, formula
   * cells defused (csvField). Headings and labels in the reader's language; amounts in yuan
   * without thousands separators, so that the spreadsheet sees numbers.
   */
  async exportCsv(filters: MemberFilters, locale: Locale): Promise<string> {
    const en = locale === 'en';
    const tierNames = new Map(
      (await this.tiers.find()).map((t) => [t.code, en ? t.nameEn : t.nameZh]),
    );
    const header = EXPORT_COLUMNS.map((column) => translate(locale, `members.csv.${column}`));
    const parts: string[] = [CSV_BOM, csvRecord(header)];
    let cursor: Cursor | null = null;
    for (;;) {
      const qb = this.filtered(filters);
      if (cursor) this.after(qb, cursor);
      const batch = await qb.take(EXPORT_BATCH).getMany();
      if (batch.length === 0) break;
      const items = await this.withBalances(batch);
      const categories = await this.categoriesOf(batch.map((f) => f.id));
      for (const [i, item] of items.entries()) {
        const firm = batch[i];
        const district = DISTRICTS[item.district as District] as
          (typeof DISTRICTS)[District] | undefined;
        parts.push(
          csvRecord([
            item.name,
            item.nameEn,
            item.creditCode,
            district ? (en ? district.en : district.zh) : item.district,
            item.tier ? (tierNames.get(item.tier) ?? item.tier) : null,
            translate(locale, `members.status.${item.status}`),
            item.memberSince,
            firm.legalRepresentative,
            firm.contactEmail,
            (categories.get(firm.id) ?? [])
              .map((c) => (en ? CATEGORIES[c].en : CATEGORIES[c].zh))
              .join('|'),
            (item.balanceDueFen / 100).toFixed(2),
          ]),
        );
      }
      const last = batch[batch.length - 1];
      cursor = { name: last.name, id: last.id };
      if (batch.length < EXPORT_BATCH) break;
    }
    return parts.join('');
  }

  /**
   * Imports existing members from CSV (members-csv.ts has the format). All or nothing: every row
   * is checked first, and any problem refuses the whole file with every problem listed by line.
   * Otherwise each row becomes an active member firm, with a public status event ('imported'),
   * a revision and an audit event, in one transaction.
   */
  async importCsv(
    actor: AuditActor,
    bytes: Uint8Array,
    meta: Partial<RequestMeta> = {},
    now = new Date(),
  ): Promise<ImportResult> {
    if (bytes.length > IMPORT_MAX_BYTES) throw new MembershipError('MEMBER_IMPORT_TOO_LARGE');
    const file = readImportFile(decodeCsvBytes(bytes));
    if (!file.ok) throw this.refusal(file.problems);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return this.tx.run(async (manager) => {
      const tiers = await manager.find(MembershipTier, { order: { rank: 'ASC' } });
      const codes = file.records.map((r) => recordCreditCode(file.header, r));
      const names = file.records.map((r) => recordName(file.header, r));
      const check = checkImportRows(file.header, file.records, {
        tiers,
        today: beijingDate(now),
        takenCreditCodes: await this.existing(manager, 'creditCode', codes),
        takenNames: await this.existing(manager, 'name', names),
        shared: {
          creditCodeInvalid: new MembershipError('CREDIT_CODE_INVALID').spec,
          creditCodeTaken: new MembershipError('CREDIT_CODE_TAKEN').spec,
        },
      });
      if (!check.ok) throw this.refusal(check.problems);

      const batchId = randomUUID();
      const firms: ImportedFirm[] = [];
      // Rows are written in batches (a few statements per batch, not per firm), which keeps a
      // full file to seconds on PostgreSQL; the audit chain still gets one event per firm.
      for (const batch of chunks(check.rows, WRITE_BATCH)) {
        firms.push(...(await this.createMembers(manager, actor, batch, batchId, now, meta)));
      }
      await this.audit.record(manager, {
        actor,
        action: 'membership.members_imported',
        subjectType: 'member_import',
        subjectId: batchId,
        summary: { rows: firms.length, sha256, bytes: bytes.length },
        meta,
      });
      return { batchId, imported: firms.length, firms };
    });
  }

  private async createMembers(
    manager: EntityManager,
    actor: AuditActor,
    rows: ImportRow[],
    batchId: string,
    now: Date,
    meta: Partial<RequestMeta>,
  ): Promise<ImportedFirm[]> {
    const firms = rows.map((row) =>
      manager.create(Firm, {
        id: randomUUID(),
        name: row.name,
        nameEn: row.nameEn,
        searchText: firmSearchText(row.name, row.nameEn),
        creditCode: row.creditCode,
        legalRepresentative: row.legalRepresentative,
        registeredCapitalFen: null,
        establishedOn: null,
        address: null,
        district: row.district,
        website: null,
        contactName: null,
        contactPhone: null,
        contactEmail: row.contactEmail,
        status: 'active',
        tier: row.tier,
        memberSince: row.memberSince,
        suspendedUntil: null,
        signatoryUserId: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      }),
    );
    // updateEntity(false): after a multi-row insert TypeORM re-reads version columns and can
    // assign them to the wrong objects (ids included) when the rows come back in another order.
    await manager
      .createQueryBuilder()
      .insert()
      .into(Firm)
      .values(firms)
      .updateEntity(false)
      .execute();
    const categories = rows.flatMap((row, i) =>
      row.categories.map((category) => ({ firmId: firms[i].id, category })),
    );
    if (categories.length > 0) await manager.insert(FirmCategory, categories);
    await manager.insert(
      FirmRevision,
      rows.map((row, i) => ({
        id: randomUUID(),
        firmId: firms[i].id,
        changedAt: now,
        actorId: actor.id,
        kind: 'import',
        changes: JSON.stringify(importedFields(row)),
      })),
    );
    // The public record dates the membership from when it really began, not from the import.
    await manager.insert(
      FirmStatusEvent,
      rows.map((row, i) => ({
        id: randomUUID(),
        firmId: firms[i].id,
        status: 'active',
        reasonCategory: IMPORTED_REASON,
        reason: null,
        decisionRef: null,
        until: null,
        effectiveAt: startOfBeijingDate(row.memberSince),
        actorId: actor.id,
      })),
    );
    for (const [i, row] of rows.entries()) {
      await this.audit.record(manager, {
        actor,
        action: 'membership.member_imported',
        subjectType: 'firm',
        subjectId: firms[i].id,
        summary: {
          batchId,
          line: row.line,
          name: row.name,
          creditCode: row.creditCode,
          district: row.district,
          tier: row.tier,
          memberSince: row.memberSince,
          status: 'active',
        },
        meta,
      });
      await this.events.emit(manager, 'membership.activated', {
        firmId: firms[i].id,
        year: beijingYear(now),
      });
    }
    return rows.map((row, i) => ({
      id: firms[i].id,
      line: row.line,
      name: row.name,
      creditCode: row.creditCode,
    }));
  }

  /** Which of `values` some firm already has in `column`. */
  private async existing(
    manager: EntityManager,
    column: 'creditCode' | 'name',
    values: string[],
  ): Promise<Set<string>> {
    const found = new Set<string>();
    const wanted = [...new Set(values.filter((v) => v !== ''))];
    for (const chunk of chunks(wanted, LOOKUP_CHUNK)) {
      const rows = await manager.find(Firm, {
        where: { [column]: In(chunk) },
        select: { id: true, [column]: true },
      });
      for (const row of rows) found.add(row[column]);
    }
    return found;
  }

  private refusal(problems: ImportProblem[]): MembershipError {
    const tooMany = problems.find((p) => p.code === 'TOO_MANY_ROWS');
    if (tooMany) return new MembershipError('MEMBER_IMPORT_TOO_MANY_ROWS');
    return new MembershipError('MEMBER_IMPORT_INVALID', { lineErrors: problems });
  }

  private filtered(filters: MemberFilters): SelectQueryBuilder<Firm> {
    const qb = this.firms.createQueryBuilder('f');
    if (filters.status) qb.andWhere('f.status = :status', { status: filters.status });
    if (filters.tier) qb.andWhere('f.tier = :tier', { tier: filters.tier });
    if (filters.district) qb.andWhere('f.district = :district', { district: filters.district });
    if (filters.category) {
      // (firmId, category) is the key of firm_categories: the join adds no duplicate rows.
      qb.innerJoin(FirmCategory, 'fc', 'fc.firmId = f.id AND fc.category = :category', {
        category: filters.category,
      });
    }
    const q = filters.q?.trim();
    if (q) {
      qb.andWhere("(f.searchText LIKE :text ESCAPE '\\' OR f.creditCode LIKE :code ESCAPE '\\')", {
        text: `%${likeEscape(q.toLowerCase())}%`,
        code: `${likeEscape(q.toUpperCase())}%`,
      });
    }
    return qb.orderBy('f.name', 'ASC').addOrderBy('f.id', 'ASC');
  }

  private after(qb: SelectQueryBuilder<Firm>, cursor: Cursor): void {
    qb.andWhere('(f.name > :afterName OR (f.name = :afterName AND f.id > :afterId))', {
      afterName: cursor.name,
      afterId: cursor.id,
    });
  }

  private async withBalances(firms: Firm[]): Promise<MemberListItem[]> {
    const balances = await this.dues.openBalancesFen(firms.map((f) => f.id));
    return firms.map((firm) => {
      const balance = balances.get(firm.id) ?? 0;
      return {
        id: firm.id,
        name: firm.name,
        nameEn: firm.nameEn,
        creditCode: firm.creditCode,
        district: firm.district,
        tier: firm.tier,
        status: firm.status,
        memberSince: firm.memberSince,
        balanceDueFen: balance,
        balanceDue: formatFen(balance),
      };
    });
  }

  private async categoriesOf(firmIds: string[]): Promise<Map<string, Category[]>> {
    const out = new Map<string, Category[]>();
    if (firmIds.length === 0) return out;
    const rows = await this.categories.find({ where: { firmId: In(firmIds) } });
    for (const row of rows) {
      const list = out.get(row.firmId) ?? [];
      list.push(row.category as Category);
      out.set(row.firmId, list);
    }
    // In the order the categories are declared, whatever order the database returns them in.
    const rank = (c: Category): number => CATEGORY_KEYS.indexOf(c);
    for (const list of out.values()) list.sort((a, b) => rank(a) - rank(b));
    return out;
  }
}

/** The export's columns, by their catalogue key (members.csv.*). */
const EXPORT_COLUMNS = [
  'name',
  'nameEn',
  'creditCode',
  'district',
  'tier',
  'status',
  'memberSince',
  'legalRepresentative',
  'contactEmail',
  'categories',
  'balanceDue',
] as const;
