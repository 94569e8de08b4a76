import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { normaliseCreditCode } from './credit-code.js';
import {
  directoryPageSql,
  LISTED_STATUSES,
  pageCategoriesSql,
  PUBLIC_RECORD_STATUSES,
  type Dialect,
  type DirectoryFilters,
  type DirectoryKey,
  type DirectoryRow,
} from './directory.repository.js';
import { FirmStatusEvent } from './entities/firm-status-event.entity.js';
import { Firm } from './entities/firm.entity.js';
import { MembershipError } from './membership.errors.js';

export const DIRECTORY_PAGE_DEFAULT = 20;
export const DIRECTORY_PAGE_MAX = 100;

/** A listed member, as anyone may see it. Nothing else about the firm leaves this service. */
export interface DirectoryItem {
  id: string;
  name: string;
  nameEn: string | null;
  creditCode: string;
  district: string;
  categories: string[];
  tier: string | null;
  status: string;
  memberSince: string | null;
}

export interface DirectoryPage {
  items: DirectoryItem[];
  nextCursor: string | null;
}

/** One public entry of the membership record: no free-text reason, no actor. */
export interface PublicStatusEvent {
  status: string;
  reasonCategory: string | null;
  /** Last day of a suspension, when one was set. */
  until: string | null;
  /** The published decision's reference (expulsions). */
  decisionRef: string | null;
  effectiveAt: string;
}

/** Sections other modules fill: the convention signature, the credit rating, the certificate. */
export const PUBLIC_SECTION_KEYS = ['pledge', 'rating', 'certificate'] as const;
export type PublicSectionKey = (typeof PUBLIC_SECTION_KEYS)[number];

export interface PublicSectionContent {
  summary: { 'zh-CN': string; en: string };
  /** A path on this site with the detail, or null. */
  link: string | null;
}

export interface PublicSection {
  key: PublicSectionKey;
  /** False until the module that owns the section is built (or has nothing to show). */
  available: boolean;
  summary: { 'zh-CN': string; en: string } | null;
  link: string | null;
}

/** What another module gives for one firm; null when it has nothing public about it. */
export type PublicSectionProvider = (firmId: string) => Promise<PublicSectionContent | null>;

/** A firm's public page: the record that stays, like a BrokerCheck report. */
export interface PublicFirmRecord extends DirectoryItem {
  /** Whether the firm appears in directory searches (lapsed and withdrawn firms do not). */
  listed: boolean;
  history: PublicStatusEvent[];
  sections: PublicSection[];
}

export function encodeDirectoryCursor(key: DirectoryKey): string {
  return Buffer.from(JSON.stringify([key.name, key.id]), 'utf8').toString('base64url');
}

export function decodeDirectoryCursor(cursor: string): DirectoryKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new MembershipError('DIRECTORY_CURSOR_INVALID');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    parsed[0].length > 200 ||
    !/^[0-9a-f-]{36}$/i.test(parsed[1])
  ) {
    throw new MembershipError('DIRECTORY_CURSOR_INVALID');
  }
  return { name: parsed[0], id: parsed[1] };
}

/**
 * The public member directory: search (directory.repository.ts holds the SQL and why it is
 * shaped as it is) and each member's public record. Contact details, documents, the legal
 * representative, addresses and staff's written reasons never leave here: the views are built
 * field by field, not by copying the entity.
 */
@Injectable()
export class DirectoryService {
  private readonly providers = new Map<PublicSectionKey, PublicSectionProvider>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get dialect(): Dialect {
    return this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  /**
   * Lets the module that owns a section (pledges, ratings, certificates) fill it on every
   * firm's public page. Call once, from that module's onModuleInit.
   */
  registerSection(key: PublicSectionKey, provider: PublicSectionProvider): void {
    if (this.providers.has(key)) throw new Error(`Directory section ${key} registered twice`);
    this.providers.set(key, provider);
  }

  async search(
    filters: DirectoryFilters,
    options: { cursor?: string; limit?: number } = {},
  ): Promise<DirectoryPage> {
    const limit = Math.min(
      Math.max(Math.trunc(options.limit ?? DIRECTORY_PAGE_DEFAULT), 1),
      DIRECTORY_PAGE_MAX,
    );
    const after = options.cursor ? decodeDirectoryCursor(options.cursor) : null;
    const { sql, params } = directoryPageSql(
      this.dialect,
      normaliseDirectoryFilters(filters),
      after,
      limit,
    );
    const rows = await this.dataSource.query<DirectoryRow[]>(sql, params);
    const page = rows.slice(0, limit);
    const categories = await this.categoriesOf(page.map((row) => row.id));
    const items = page.map((row) => toDirectoryItem(row, categories.get(row.id) ?? []));
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeDirectoryCursor(last) : null,
    };
  }

  /**
   * The public page of anyone who has been a member, including lapsed, expelled and withdrawn
   * firms. Applicants and rejected firms have none: "not found", as for an unknown id.
   */
  async publicRecord(id: string): Promise<PublicFirmRecord> {
    const firm = await this.dataSource.getRepository(Firm).findOneBy({ id });
    if (!firm || !(PUBLIC_RECORD_STATUSES as readonly string[]).includes(firm.status))
      throw new MembershipError('FIRM_NOT_FOUND');
    const [categories, events, sections] = await Promise.all([
      this.categoriesOf([firm.id]),
      this.dataSource.getRepository(FirmStatusEvent).find({
        where: { firmId: firm.id },
        order: { effectiveAt: 'ASC', id: 'ASC' },
      }),
      this.sectionsFor(firm.id),
    ]);
    return {
      ...toDirectoryItem(firm, categories.get(firm.id) ?? []),
      listed: (LISTED_STATUSES as readonly string[]).includes(firm.status),
      history: events.map((event) => ({
        status: event.status,
        reasonCategory: event.reasonCategory,
        until: event.until,
        decisionRef: event.decisionRef,
        effectiveAt: event.effectiveAt.toISOString(),
      })),
      sections,
    };
  }

  private async sectionsFor(firmId: string): Promise<PublicSection[]> {
    return Promise.all(
      PUBLIC_SECTION_KEYS.map(async (key): Promise<PublicSection> => {
        const provider = this.providers.get(key);
        const content = provider ? await provider(firmId) : null;
        return {
          key,
          available: content !== null,
          summary: content?.summary ?? null,
          link: content?.link ?? null,
        };
      }),
    );
  }

  private async categoriesOf(firmIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (firmIds.length === 0) return out;
    const { sql, params } = pageCategoriesSql(this.dialect, firmIds);
    const rows = await this.dataSource.query<Array<{ firmId: string; category: string }>>(
      sql,
      params,
    );
    for (const row of rows) out.set(row.firmId, [...(out.get(row.firmId) ?? []), row.category]);
    return out;
  }
}

/** Blank filters dropped, the credit code normalised: what the SQL is built from. */
export function normaliseDirectoryFilters(filters: DirectoryFilters): DirectoryFilters {
  const q = filters.q?.trim();
  const creditCode = filters.creditCode?.trim();
  return {
    q: q ? q : undefined,
    creditCode: creditCode ? normaliseCreditCode(creditCode) : undefined,
    district: filters.district || undefined,
    category: filters.category || undefined,
    tier: filters.tier || undefined,
  };
}

function toDirectoryItem(
  row: Pick<
    DirectoryRow,
    'id' | 'name' | 'nameEn' | 'creditCode' | 'district' | 'tier' | 'status' | 'memberSince'
  >,
  categories: string[],
): DirectoryItem {
  return {
    id: row.id,
    name: row.name,
    nameEn: row.nameEn,
    creditCode: row.creditCode,
    district: row.district,
    categories,
    tier: row.tier,
    status: row.status,
    memberSince: row.memberSince,
  };
}
