import type { FirmStatus } from './entities/firm.entity.js';

/**
 * The public directory's search SQL, kept apart from the service so that the benchmark
 * (bench/directory-search.ts) runs exactly the same statement bare on the driver.
 *
 * Listed members are in one of three statuses, and the page is ordered by name then id. A plain
 * `status IN (...) ORDER BY name, id` cannot read an index on (status, name, id) in order,
 * because the order is per status: both databases would read every listed firm and sort them.
 * So each status gets its own branch, which walks the index in order from the cursor and stops
 * after `limit` rows; the outer query merges at most 3 × limit ids and only then fetches the
 * page's rows.
 *
 * A branch selects only the id and name, so with no filter but the name it is answered from
 * IDX_firms_status_name_search (status, name, id, searchText) alone: the substring test runs on
 * index entries, and a rare name costs one pass over the index, not a table lookup per firm.
 * A district or tier filter walks IDX_firms_status_district_name / IDX_firms_status_tier_name
 * (status, district|tier, name, id), so only matching firms are visited, in order. The credit
 * code goes through its unique index; a category is checked per candidate through
 * firm_categories' primary key (firmId, category). Every walk stops as soon as the page is full.
 * bench/README.md shows the plans both databases choose.
 *
 * The name test is a plain substring search (instr / strpos) on the lower-cased search text,
 * so `%` and `_` in what people type mean nothing special.
 */

/** Statuses the directory lists. Lapsed and withdrawn firms keep a public page but are not listed. */
export const LISTED_STATUSES = ['active', 'suspended', 'expelled'] as const satisfies FirmStatus[];

/** Statuses whose public page can be opened by id: everyone who has been a member. */
export const PUBLIC_RECORD_STATUSES = [
  ...LISTED_STATUSES,
  'lapsed',
  'withdrawn',
] as const satisfies FirmStatus[];

export type Dialect = 'postgres' | 'sqlite';

export interface DirectoryFilters {
  /** Part of the Chinese or English name, any case. */
  q?: string;
  /** The whole unified social credit code. */
  creditCode?: string;
  district?: string;
  category?: string;
  tier?: string;
}

/** Where the previous page ended. */
export interface DirectoryKey {
  name: string;
  id: string;
}

export interface DirectoryRow {
  id: string;
  name: string;
  nameEn: string | null;
  creditCode: string;
  district: string;
  tier: string | null;
  status: string;
  memberSince: string | null;
}

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

const COLUMNS =
  'f.id AS id, f.name AS name, f."nameEn" AS "nameEn", f."creditCode" AS "creditCode", ' +
  'f.district AS district, f.tier AS tier, f.status AS status, f."memberSince" AS "memberSince"';

/** The statement for one page: `limit + 1` rows, the extra one saying whether more follow. */
export function directoryPageSql(
  dialect: Dialect,
  filters: DirectoryFilters,
  after: DirectoryKey | null,
  limit: number,
): SqlStatement {
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return dialect === 'postgres' ? `$${params.length}` : '?';
  };
  const take = limit + 1;
  const contains = dialect === 'postgres' ? 'strpos' : 'instr';
  const branches = LISTED_STATUSES.map((status, index) => {
    const where = [`f.status = ${p(status)}`];
    if (after) {
      // name >= :name keeps the range seek on the index; the OR only settles ties on name.
      where.push(`f.name >= ${p(after.name)}`);
      where.push(`(f.name > ${p(after.name)} OR f.id > ${p(after.id)})`);
    }
    if (filters.q) where.push(`${contains}(f."searchText", ${p(filters.q.toLowerCase())}) > 0`);
    if (filters.creditCode) where.push(`f."creditCode" = ${p(filters.creditCode)}`);
    if (filters.district) where.push(`f.district = ${p(filters.district)}`);
    if (filters.tier) where.push(`f.tier = ${p(filters.tier)}`);
    if (filters.category) {
      where.push(
        `EXISTS (SELECT 1 FROM firm_categories c WHERE c."firmId" = f.id AND c.category = ${p(filters.category)})`,
      );
    }
    return (
      `SELECT * FROM (SELECT f.id AS id, f.name AS name FROM firms f WHERE ${where.join(' AND ')} ` +
      `ORDER BY f.name, f.id LIMIT ${p(take)}) AS s${index}`
    );
  });
  const sql =
    `SELECT ${COLUMNS} FROM (SELECT listed.id AS id, listed.name AS name FROM ` +
    `(${branches.join(' UNION ALL ')}) AS listed ORDER BY listed.name, listed.id LIMIT ${p(take)}) AS page ` +
    `JOIN firms f ON f.id = page.id ORDER BY page.name, page.id`;
  return { sql, params };
}

/** The categories of the firms on a page. */
export function pageCategoriesSql(dialect: Dialect, firmIds: string[]): SqlStatement {
  const marks = firmIds.map((_, i) => (dialect === 'postgres' ? `$${i + 1}` : '?')).join(', ');
  return {
    sql: `SELECT c."firmId" AS "firmId", c.category AS category FROM firm_categories c WHERE c."firmId" IN (${marks}) ORDER BY c."firmId", c.category`,
    params: firmIds,
  };
}
