import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { CATEGORY_KEYS } from '../../src/modules/membership/categories.js';
import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckChar,
} from '../../src/modules/membership/credit-code.js';
import { DISTRICT_KEYS } from '../../src/modules/membership/districts.js';
import { pick, rng } from './random.js';

/**
 * Seeded member firms (Shenzhen-style legal names, valid credit codes, statuses and tiers spread
 * as in a mature register) and how to bulk-load them with their categories.
 */

const BRANDS_ZH = [
  '鹏程',
  '前海',
  '华信',
  '中科',
  '腾讯',
  '平安',
  '招联',
  '微众',
  '乐信',
  '随手',
  '联易',
  '银盛',
  '财付',
  '金蝶',
  '科技',
  '海云',
  '南山',
  '宝能',
  '深港',
  '万通',
  '恒信',
  '融汇',
  '博雅',
  '安盈',
  '聚财',
  '信诚',
  '汇通',
  '合众',
  '国信',
  '银湖',
  '蓝海',
  '星河',
  '天使',
  '龙华',
  '智汇',
  '丰泰',
  '盛世',
  '宏图',
  '嘉禾',
  '鼎盛',
];
const BRANDS_EN = [
  'Pengcheng',
  'Qianhai',
  'Huaxin',
  'Zhongke',
  'Tengxun',
  'Pingan',
  'Zhaolian',
  'Weizhong',
  'Lexin',
  'Suishou',
  'Lianyi',
  'Yinsheng',
  'Caifu',
  'Jindie',
  'Keji',
  'Haiyun',
  'Nanshan',
  'Baoneng',
  'Shengang',
  'Wantong',
  'Hengxin',
  'Ronghui',
  'Boya',
  'Anying',
  'Jucai',
  'Xincheng',
  'Huitong',
  'Hezhong',
  'Guoxin',
  'Yinhu',
  'Lanhai',
  'Xinghe',
  'Tianshi',
  'Longhua',
  'Zhihui',
  'Fengtai',
  'Shengshi',
  'Hongtu',
  'Jiahe',
  'Dingsheng',
];
const TRADES = [
  ['金融科技', 'FinTech'],
  ['网络小额贷款', 'Online Microcredit'],
  ['支付服务', 'Payment Services'],
  ['信息技术', 'Information Technology'],
  ['供应链金融', 'Supply Chain Finance'],
  ['基金销售', 'Fund Distribution'],
  ['互联网科技', 'Internet Technology'],
  ['数据服务', 'Data Services'],
];
export const FIRM_STATUSES: Array<[string, number]> = [
  ['active', 0.9],
  ['suspended', 0.03],
  ['expelled', 0.01],
  ['lapsed', 0.03],
  ['withdrawn', 0.01],
  ['applicant', 0.015],
  ['rejected', 0.005],
];
const TIERS: Array<[string, number]> = [
  ['president', 0.01],
  ['vice_president', 0.04],
  ['council', 0.15],
  ['member', 0.8],
];

/** A valid, unique credit code for firm number `n`. */
export function creditCode(n: number): string {
  let tail = '';
  let rest = n;
  for (let i = 0; i < 9; i++) {
    tail = CREDIT_CODE_ALPHABET[rest % 31] + tail;
    rest = Math.floor(rest / 31);
  }
  const body = `91440300${tail}`;
  return body + creditCodeCheckChar(body);
}

export interface SeedFirm {
  /** Position in the generated sequence (0-based). */
  n: number;
  id: string;
  name: string;
  nameEn: string | null;
  searchText: string;
  creditCode: string;
  district: string;
  status: string;
  tier: string | null;
  memberSince: string | null;
  categories: string[];
}

/** `count` firms, always the same ones (fixed seed); ids from `idOf` (random UUIDs by default). */
export function* seedFirms(
  count: number,
  idOf: (n: number) => string = () => randomUUID(),
): Generator<SeedFirm> {
  const random = rng(20260101);
  for (let n = 0; n < count; n++) {
    const b1 = Math.floor(random() * BRANDS_ZH.length);
    const b2 = Math.floor(random() * BRANDS_ZH.length);
    const [tradeZh, tradeEn] = TRADES[Math.floor(random() * TRADES.length)];
    // A serial keeps names distinct, as legal names are.
    const serial = n.toString(36).toUpperCase();
    const name = `深圳市${BRANDS_ZH[b1]}${BRANDS_ZH[b2]}${tradeZh}有限公司${serial}`;
    const nameEn =
      random() < 0.6
        ? `Shenzhen ${BRANDS_EN[b1]} ${BRANDS_EN[b2]} ${tradeEn} Co., Ltd. ${serial}`
        : null;
    const status = pick(random, FIRM_STATUSES);
    const member = status !== 'applicant' && status !== 'rejected';
    const categories = new Set<string>();
    const categoryCount = 1 + Math.floor(random() * 3);
    while (categories.size < categoryCount)
      categories.add(CATEGORY_KEYS[Math.floor(random() * CATEGORY_KEYS.length)]);
    yield {
      n,
      id: idOf(n),
      name,
      nameEn,
      searchText: `${name} ${nameEn ?? ''}`.toLowerCase(),
      creditCode: creditCode(n),
      district: DISTRICT_KEYS[Math.floor(random() * DISTRICT_KEYS.length)],
      status,
      tier: member ? pick(random, TIERS) : null,
      memberSince: member
        ? `${2015 + Math.floor(random() * 11)}-0${1 + Math.floor(random() * 9)}-15`
        : null,
      categories: [...categories],
    };
  }
}

export const FIRM_COLUMNS = [
  'id',
  'name',
  '"nameEn"',
  '"searchText"',
  '"creditCode"',
  'district',
  'status',
  'tier',
  '"memberSince"',
  '"createdAt"',
  '"updatedAt"',
  'version',
];

export function firmValues(firm: SeedFirm, at: string | Date): unknown[] {
  return [
    firm.id,
    firm.name,
    firm.nameEn,
    firm.searchText,
    firm.creditCode,
    firm.district,
    firm.status,
    firm.tier,
    firm.memberSince,
    at,
    at,
    1,
  ];
}

/** Firms per transaction (SQLite) or per multi-row INSERT (PostgreSQL). */
const FIRM_BATCH = 1000;

/** Inserts firms and their categories, a transaction per batch. `at`: SQLite datetime text. */
export function loadFirmsSqlite(
  db: Database.Database,
  firms: Iterable<SeedFirm>,
  at: string,
): void {
  const insertFirm = db.prepare(
    `INSERT INTO firms (${FIRM_COLUMNS.join(', ')}) VALUES (${FIRM_COLUMNS.map(() => '?').join(', ')})`,
  );
  const insertCategory = db.prepare(
    'INSERT INTO firm_categories ("firmId", category) VALUES (?, ?)',
  );
  const flush = db.transaction((batch: SeedFirm[]) => {
    for (const firm of batch) {
      insertFirm.run(...firmValues(firm, at));
      for (const category of firm.categories) insertCategory.run(firm.id, category);
    }
  });
  let batch: SeedFirm[] = [];
  for (const firm of firms) {
    batch.push(firm);
    if (batch.length === FIRM_BATCH) {
      flush(batch);
      batch = [];
    }
  }
  if (batch.length) flush(batch);
}

/** Inserts firms and their categories in one transaction, in multi-row INSERTs. */
export async function loadFirmsPostgres(
  client: pg.Client,
  firms: Iterable<SeedFirm>,
  at: Date,
): Promise<void> {
  const flush = async (batch: SeedFirm[]): Promise<void> => {
    const params: unknown[] = [];
    const rows = batch.map((firm) => {
      const values = firmValues(firm, at);
      const marks = values.map((v) => {
        params.push(v);
        return `$${params.length}`;
      });
      return `(${marks.join(', ')})`;
    });
    await client.query(
      `INSERT INTO firms (${FIRM_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`,
      params,
    );
    const cats: unknown[] = [];
    const catRows = batch.flatMap((firm) =>
      firm.categories.map((category) => {
        cats.push(firm.id, category);
        return `($${cats.length - 1}, $${cats.length})`;
      }),
    );
    await client.query(
      `INSERT INTO firm_categories ("firmId", category) VALUES ${catRows.join(', ')}`,
      cats,
    );
  };
  await client.query('BEGIN');
  let batch: SeedFirm[] = [];
  for (const firm of firms) {
    batch.push(firm);
    if (batch.length === FIRM_BATCH) {
      await flush(batch);
      batch = [];
    }
  }
  if (batch.length) await flush(batch);
  await client.query('COMMIT');
}
