import { beijingDate, isCalendarDate } from '../../common/time/beijing.js';
import { CATEGORIES, CATEGORY_KEYS, type Category } from './categories.js';
import { creditCodeProblem, normaliseCreditCode } from './credit-code.js';
import { DISTRICT_KEYS, DISTRICTS, type District } from './districts.js';
import type { TierCode } from './entities/firm.entity.js';

/**
 * CSV in and out of the staff member list: an RFC 4180 reader and writer, and the row-by-row
 * checks of the member import. Pure functions; the service does the database work around them.
 */

/** The import file's columns, in the order the template lists them. */
export const IMPORT_COLUMNS = [
  'name',
  'name_en',
  'credit_code',
  'district',
  'tier',
  'member_since',
  'legal_representative',
  'contact_email',
  'categories',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Rows (not counting the header) one import may hold. */
export const IMPORT_MAX_ROWS = 5000;
/** Bytes one import file may have: 5,000 full rows fit with room to spare. */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;

const UTF8_BOM = '\uFEFF';

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * The text of an uploaded file. UTF-8 (with or without BOM) first; anything that is not valid
 * UTF-8 is read as GB 18030, because that (GBK) is what Excel on a Chinese Windows writes when
 * someone picks plain "CSV (逗号分隔)" rather than "CSV UTF-8".
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return text.startsWith(UTF8_BOM) ? text.slice(1) : text;
}

export interface CsvRecord {
  /** 1-based row number as a spreadsheet shows it: the header is line 1. */
  line: number;
  cells: string[];
}

export type CsvReadResult =
  { ok: true; records: CsvRecord[] } | { ok: false; line: number; problem: 'UNTERMINATED_QUOTE' };

/**
 * Splits RFC 4180 text into records. Quoted fields may hold commas, doubled quotes and line
 * breaks; CRLF and LF both end a record; a final line break does not start an empty record.
 * Line numbers count records (blank ones too), which is the row number Excel shows and, unless a
 * quoted cell spans lines, the line number a text editor shows.
 */
export function readCsv(text: string): CsvReadResult {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let i = 0;
  const endRecord = (): void => {
    cells.push(cell);
    records.push({ line: records.length + 1, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell === '') {
      quoted = true;
      line = records.length + 1;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else {
      // A quote in the middle of an unquoted cell is kept as it is, as spreadsheets do.
      cell += ch;
    }
    i++;
  }
  if (quoted) return { ok: false, line, problem: 'UNTERMINATED_QUOTE' };
  if (cell !== '' || cells.length > 0) endRecord();
  return { ok: true, records };
}

// ---------------------------------------------------------------------------------------------
// Writing

// Field quoting and the byte-order mark are shared by every export: common/csv.ts.
export { CSV_BOM, csvField, csvRecord } from '../../common/csv.js';

/** The file name an export is offered under: the date says which day's register it is. */
export function exportFileName(now = new Date()): string {
  return `szifa-members-${beijingDate(now)}.csv`;
}

// ---------------------------------------------------------------------------------------------
// Import checks

/** Why a line of an import file was refused. */
export type ImportProblemCode =
  | 'UNTERMINATED_QUOTE'
  | 'EMPTY_FILE'
  | 'NO_ROWS'
  | 'TOO_MANY_ROWS'
  | 'HEADER_MISSING'
  | 'HEADER_UNKNOWN'
  | 'HEADER_REPEATED'
  | 'CELL_COUNT'
  | 'REQUIRED'
  | 'TOO_LONG'
  | 'CREDIT_CODE_INVALID'
  | 'CREDIT_CODE_AS_NUMBER'
  | 'CREDIT_CODE_REPEATED'
  | 'CREDIT_CODE_TAKEN'
  | 'NAME_REPEATED'
  | 'NAME_TAKEN'
  | 'DISTRICT_UNKNOWN'
  | 'TIER_UNKNOWN'
  | 'CATEGORY_UNKNOWN'
  | 'DATE_INVALID'
  | 'DATE_IN_FUTURE'
  | 'EMAIL_INVALID';

export interface ImportProblem {
  /** 1-based, the header being line 1 (see readCsv). */
  line: number;
  /** The column at fault, or null for the whole line or file. */
  column: ImportColumn | null;
  code: ImportProblemCode;
  message: { 'zh-CN': string; en: string };
}

type Params = Record<string, string | number>;

const MESSAGES: Record<ImportProblemCode, { zh: string; en: string }> = {
  UNTERMINATED_QUOTE: {
    zh: '引号没有闭合：从这一行开始的带引号单元格一直没有结束。',
    en: 'A quoted cell that starts on this line is never closed.',
  },
  EMPTY_FILE: { zh: '文件是空的。', en: 'The file is empty.' },
  NO_ROWS: {
    zh: '文件只有表头，没有会员数据。',
    en: 'The file has a header but no member rows.',
  },
  TOO_MANY_ROWS: {
    zh: '文件有 {rows} 行数据，一次最多导入 {max} 行；请拆分为几个文件。',
    en: 'The file has {rows} rows; at most {max} can be imported at once. Split it into several files.',
  },
  HEADER_MISSING: {
    zh: '表头缺少列：{columns}。',
    en: 'The header lacks the column(s): {columns}.',
  },
  HEADER_UNKNOWN: {
    zh: '表头有未知的列：{columns}。可用的列：{expected}。',
    en: 'The header has unknown column(s): {columns}. The columns are: {expected}.',
  },
  HEADER_REPEATED: {
    zh: '表头中的列 {columns} 出现了不止一次。',
    en: 'The header names {columns} more than once.',
  },
  CELL_COUNT: {
    zh: '这一行有 {found} 个单元格，表头有 {expected} 列。',
    en: 'This line has {found} cells; the header has {expected} columns.',
  },
  REQUIRED: { zh: '{column} 不能为空。', en: '{column} must not be empty.' },
  TOO_LONG: {
    zh: '{column} 不能超过 {max} 个字符。',
    en: '{column} must not be longer than {max} characters.',
  },
  // Filled from MembershipError's CREDIT_CODE_INVALID, so the wording is the same everywhere.
  CREDIT_CODE_INVALID: { zh: '', en: '' },
  CREDIT_CODE_AS_NUMBER: {
    zh: '统一社会信用代码“{value}”被表格软件当成了数字（科学计数法）。请把该列设为“文本”格式后重新输入代码。',
    en: 'The credit code "{value}" was turned into a number (scientific notation) by the spreadsheet. Format the column as text and enter the code again.',
  },
  CREDIT_CODE_REPEATED: {
    zh: '统一社会信用代码 {value} 在第 {other} 行已经出现过。',
    en: 'The credit code {value} already appears on line {other}.',
  },
  CREDIT_CODE_TAKEN: { zh: '', en: '' },
  NAME_REPEATED: {
    zh: '机构名称“{value}”在第 {other} 行已经出现过。',
    en: 'The name "{value}" already appears on line {other}.',
  },
  NAME_TAKEN: {
    zh: '已有名为“{value}”的机构登记在平台上。',
    en: 'A firm named "{value}" is already registered on the platform.',
  },
  DISTRICT_UNKNOWN: {
    zh: '未知的区“{value}”：请填写区的代码（如 futian）或中文名称（如 福田区）。',
    en: 'Unknown district "{value}": use its code (e.g. futian) or Chinese name (e.g. 福田区).',
  },
  TIER_UNKNOWN: {
    zh: '未知的会员等级“{value}”：请填写以下之一（中文名称或括号中的代码）：{expected}。',
    en: 'Unknown tier "{value}": use one of these (the Chinese name or the code in brackets): {expected}.',
  },
  CATEGORY_UNKNOWN: {
    zh: '未知的业务类别“{value}”：多个类别用 | 分隔，每个填写代码（如 online_lending）或中文名称（如 网络信贷）。',
    en: 'Unknown business category "{value}": separate categories with |, each a code (e.g. online_lending) or Chinese name (e.g. 网络信贷).',
  },
  DATE_INVALID: {
    zh: '入会日期“{value}”不是有效日期，格式为 YYYY-MM-DD（如 2019-03-01）。',
    en: 'The membership date "{value}" is not a valid date; write it as YYYY-MM-DD (e.g. 2019-03-01).',
  },
  DATE_IN_FUTURE: {
    zh: '入会日期 {value} 晚于今天（{today}）。',
    en: 'The membership date {value} is after today ({today}).',
  },
  EMAIL_INVALID: {
    zh: '联系邮箱“{value}”不是有效的电子邮箱地址。',
    en: 'The contact e-mail "{value}" is not a valid e-mail address.',
  },
};

/** What import messages shared with the rest of the module say (CREDIT_CODE_*). */
export interface SharedMessages {
  creditCodeInvalid: { zh: string; en: string };
  creditCodeTaken: { zh: string; en: string };
}

function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

export function importProblem(
  line: number,
  column: ImportColumn | null,
  code: ImportProblemCode,
  params: Params = {},
  shared?: SharedMessages,
): ImportProblem {
  let spec = MESSAGES[code];
  if (code === 'CREDIT_CODE_INVALID' && shared) spec = shared.creditCodeInvalid;
  if (code === 'CREDIT_CODE_TAKEN' && shared) spec = shared.creditCodeTaken;
  return {
    line,
    column,
    code,
    message: { 'zh-CN': fill(spec.zh, params), en: fill(spec.en, params) },
  };
}

/** A valid import row, ready to become a member firm. */
export interface ImportRow {
  line: number;
  name: string;
  nameEn: string | null;
  creditCode: string;
  district: District;
  tier: TierCode;
  memberSince: string;
  legalRepresentative: string | null;
  contactEmail: string | null;
  categories: Category[];
}

export interface TierLabel {
  code: TierCode;
  nameZh: string;
  nameEn: string;
}

export interface ImportContext {
  tiers: readonly TierLabel[];
  /** Today in Beijing (YYYY-MM-DD): a membership cannot start later. */
  today: string;
  /** Of the file's credit codes (normalised), those already registered. */
  takenCreditCodes: ReadonlySet<string>;
  /** Of the file's names, those already registered. */
  takenNames: ReadonlySet<string>;
  shared: SharedMessages;
}

export type ImportCheck =
  { ok: true; rows: ImportRow[] } | { ok: false; problems: ImportProblem[] };

/** The header and data records of an import file, or the problem that stops reading it. */
export type ImportFile =
  | { ok: true; header: ImportColumn[]; records: CsvRecord[] }
  | { ok: false; problems: ImportProblem[] };

/**
 * Reads the file and checks its shape: a header naming each column exactly once (in any order),
 * at least one row and at most IMPORT_MAX_ROWS. Blank lines (also ",,,," from spreadsheets) are
 * skipped but keep their line numbers.
 */
export function readImportFile(text: string): ImportFile {
  const read = readCsv(text);
  if (!read.ok) return { ok: false, problems: [importProblem(read.line, null, read.problem)] };
  const records = read.records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (records.length === 0) return { ok: false, problems: [importProblem(1, null, 'EMPTY_FILE')] };
  const [head, ...rows] = records;
  const names = head.cells.map((c) => c.trim().toLowerCase());
  const problems: ImportProblem[] = [];
  const known = IMPORT_COLUMNS as readonly string[];
  const missing = IMPORT_COLUMNS.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !known.includes(n));
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (missing.length > 0)
    problems.push(
      importProblem(head.line, null, 'HEADER_MISSING', { columns: missing.join(', ') }),
    );
  if (unknown.length > 0) {
    problems.push(
      importProblem(head.line, null, 'HEADER_UNKNOWN', {
        columns: unknown.map((n) => (n === '' ? '""' : n)).join(', '),
        expected: IMPORT_COLUMNS.join(','),
      }),
    );
  }
  if (repeated.length > 0)
    problems.push(
      importProblem(head.line, null, 'HEADER_REPEATED', { columns: repeated.join(', ') }),
    );
  if (problems.length > 0) return { ok: false, problems };
  if (rows.length === 0)
    return { ok: false, problems: [importProblem(head.line, null, 'NO_ROWS')] };
  if (rows.length > IMPORT_MAX_ROWS) {
    return {
      ok: false,
      problems: [
        importProblem(head.line, null, 'TOO_MANY_ROWS', {
          rows: rows.length,
          max: IMPORT_MAX_ROWS,
        }),
      ],
    };
  }
  return { ok: true, header: names as ImportColumn[], records: rows };
}

const LIMITS: Partial<Record<ImportColumn, number>> = {
  name: 200,
  name_en: 200,
  legal_representative: 50,
  contact_email: 254,
};

/** The same shape class-validator's IsEmail accepts for ordinary addresses. */
const EMAIL =
  /^[^\s@"(),:;<>[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** What Excel makes of an all-digit 18-character code: 9.14403E+17. */
const SCIENTIFIC = /^\d(?:\.\d+)?E\+\d+$/i;

/** "2019-03-01", or the "2019/3/1" a Chinese Excel writes back, as YYYY-MM-DD; else null. */
export function importDate(value: string): string | null {
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(value);
  if (!match) return null;
  const date = `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
  return isCalendarDate(date) ? date : null;
}

/** A district from its code, its Chinese name, or the Chinese name without 区 (福田). */
export function importDistrict(value: string): District | null {
  const lower = value.toLowerCase();
  for (const key of DISTRICT_KEYS) {
    const zh: string = DISTRICTS[key].zh;
    if (lower === key || value === zh || (zh.endsWith('区') && value === zh.slice(0, -1)))
      return key;
  }
  return null;
}

export function importTier(value: string, tiers: readonly TierLabel[]): TierCode | null {
  const lower = value.toLowerCase();
  return tiers.find((t) => t.code === lower || t.nameZh === value)?.code ?? null;
}

export function importCategory(value: string): Category | null {
  const lower = value.toLowerCase();
  return CATEGORY_KEYS.find((key) => key === lower || CATEGORIES[key].zh === value) ?? null;
}

/** The normalised credit code of a data record, for looking duplicates up before the check. */
export function recordCreditCode(header: readonly ImportColumn[], record: CsvRecord): string {
  const at = header.indexOf('credit_code');
  return normaliseCreditCode(record.cells[at] ?? '');
}

export function recordName(header: readonly ImportColumn[], record: CsvRecord): string {
  const at = header.indexOf('name');
  return (record.cells[at] ?? '').trim();
}

/**
 * Checks every data record and collects every problem (not just the first): staff fix the file
 * once, not once per error. Only when there is none are the rows returned.
 */
export function checkImportRows(
  header: readonly ImportColumn[],
  records: readonly CsvRecord[],
  ctx: ImportContext,
): ImportCheck {
  const problems: ImportProblem[] = [];
  const rows: ImportRow[] = [];
  const seenCodes = new Map<string, number>();
  const seenNames = new Map<string, number>();
  const tierList = ctx.tiers.map((t) => `${t.nameZh} (${t.code})`).join(', ');

  for (const record of records) {
    const line = record.line;
    if (record.cells.length !== header.length) {
      problems.push(
        importProblem(line, null, 'CELL_COUNT', {
          found: record.cells.length,
          expected: header.length,
        }),
      );
      continue;
    }
    const cell = (column: ImportColumn): string => record.cells[header.indexOf(column)].trim();
    const before = problems.length;
    const problem = (column: ImportColumn, code: ImportProblemCode, params: Params = {}): void => {
      problems.push(importProblem(line, column, code, params, ctx.shared));
    };
    const required = (column: ImportColumn): string => {
      const value = cell(column);
      if (value === '') problem(column, 'REQUIRED', { column });
      return value;
    };
    for (const [column, max] of Object.entries(LIMITS) as Array<[ImportColumn, number]>) {
      if (cell(column).length > max) problem(column, 'TOO_LONG', { column, max });
    }

    const name = required('name');
    if (name !== '') {
      const other = seenNames.get(name);
      if (other !== undefined) problem('name', 'NAME_REPEATED', { value: name, other });
      else if (ctx.takenNames.has(name)) problem('name', 'NAME_TAKEN', { value: name });
      else seenNames.set(name, line);
    }

    const rawCode = required('credit_code');
    const creditCode = normaliseCreditCode(rawCode);
    if (rawCode !== '') {
      if (SCIENTIFIC.test(rawCode))
        problem('credit_code', 'CREDIT_CODE_AS_NUMBER', { value: rawCode });
      else if (creditCodeProblem(creditCode) !== null)
        problem('credit_code', 'CREDIT_CODE_INVALID');
      else {
        const other = seenCodes.get(creditCode);
        if (other !== undefined)
          problem('credit_code', 'CREDIT_CODE_REPEATED', { value: creditCode, other });
        else if (ctx.takenCreditCodes.has(creditCode)) problem('credit_code', 'CREDIT_CODE_TAKEN');
        else seenCodes.set(creditCode, line);
      }
    }

    const districtValue = required('district');
    const district = districtValue === '' ? null : importDistrict(districtValue);
    if (districtValue !== '' && !district)
      problem('district', 'DISTRICT_UNKNOWN', { value: districtValue });

    const tierValue = required('tier');
    const tier = tierValue === '' ? null : importTier(tierValue, ctx.tiers);
    if (tierValue !== '' && !tier)
      problem('tier', 'TIER_UNKNOWN', { value: tierValue, expected: tierList });

    const sinceValue = required('member_since');
    const memberSince = sinceValue === '' ? null : importDate(sinceValue);
    if (sinceValue !== '' && !memberSince)
      problem('member_since', 'DATE_INVALID', { value: sinceValue });
    else if (memberSince && memberSince > ctx.today)
      problem('member_since', 'DATE_IN_FUTURE', { value: memberSince, today: ctx.today });

    const email = cell('contact_email');
    if (email !== '' && !EMAIL.test(email))
      problem('contact_email', 'EMAIL_INVALID', { value: email });

    const categories: Category[] = [];
    for (const part of cell('categories').split('|')) {
      const value = part.trim();
      if (value === '') continue;
      const category = importCategory(value);
      if (!category) problem('categories', 'CATEGORY_UNKNOWN', { value });
      else if (!categories.includes(category)) categories.push(category);
    }

    if (problems.length === before && district && tier && memberSince) {
      rows.push({
        line,
        name,
        nameEn: cell('name_en') || null,
        creditCode,
        district,
        tier,
        memberSince,
        legalRepresentative: cell('legal_representative') || null,
        contactEmail: email || null,
        categories,
      });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}
