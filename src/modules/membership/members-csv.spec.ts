import { describe, expect, it } from '@jest/globals';
import {
  checkImportRows,
  csvField,
  csvRecord,
  decodeCsvBytes,
  IMPORT_COLUMNS,
  IMPORT_MAX_ROWS,
  importDate,
  importDistrict,
  readCsv,
  readImportFile,
  type ImportContext,
  type ImportProblem,
} from './members-csv.js';

const HEADER = IMPORT_COLUMNS.join(',');
// Published codes of real firms (see credit-code.spec.ts).
const TENCENT = '91440300708461136T';
const HUAWEI = '914403001922038216';
const PINGAN = '91440300100012316L';

const CTX: ImportContext = {
  tiers: [
    { code: 'president', nameZh: '会长单位', nameEn: 'President member' },
    { code: 'vice_president', nameZh: '副会长单位', nameEn: 'Vice-president member' },
    { code: 'council', nameZh: '理事单位', nameEn: 'Council member' },
    { code: 'member', nameZh: '会员单位', nameEn: 'Member' },
  ],
  today: '2026-05-20',
  takenCreditCodes: new Set(),
  takenNames: new Set(),
  shared: {
    creditCodeInvalid: { zh: '代码无效', en: 'code invalid' },
    creditCodeTaken: { zh: '代码已登记', en: 'code taken' },
  },
};

function check(text: string, ctx: ImportContext = CTX) {
  const file = readImportFile(text);
  if (!file.ok) return { ok: false as const, problems: file.problems };
  return checkImportRows(file.header, file.records, ctx);
}

function problemsOf(text: string, ctx: ImportContext = CTX): ImportProblem[] {
  const result = check(text, ctx);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

const brief = (p: ImportProblem): [number, string | null, string] => [p.line, p.column, p.code];

describe('CSV reading (RFC 4180)', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks', () => {
    const result = readCsv('a,"b,c","say ""hi""","two\r\nlines"\r\nx,y,z,w\r\n');
    expect(result).toEqual({
      ok: true,
      records: [
        { line: 1, cells: ['a', 'b,c', 'say "hi"', 'two\r\nlines'] },
        { line: 2, cells: ['x', 'y', 'z', 'w'] },
      ],
    });
  });

  it('accepts LF line ends and a missing final line break', () => {
    expect(readCsv('a,b\nc,d')).toEqual({
      ok: true,
      records: [
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['c', 'd'] },
      ],
    });
  });

  it('counts blank lines, so line numbers match the spreadsheet row', () => {
    const result = readCsv('h\n\nrow');
    expect(result.ok && result.records.map((r) => r.line)).toEqual([1, 2, 3]);
  });

  it('names the line where a never-closed quoted cell starts', () => {
    expect(readCsv('a,b\nc,"d\ne,f\n')).toEqual({
      ok: false,
      line: 2,
      problem: 'UNTERMINATED_QUOTE',
    });
  });

  it('reads UTF-8 with a byte-order mark, and GBK from a Chinese Excel', () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('福田区', 'utf8')]);
    expect(decodeCsvBytes(utf8)).toBe('福田区');
    // 福田区 in GBK.
    expect(decodeCsvBytes(Buffer.from([0xb8, 0xa3, 0xcc, 0xef, 0xc7, 0xf8]))).toBe('福田区');
  });
});

describe('CSV writing', () => {
  it('quotes cells with commas, quotes and line breaks, and ends records with CRLF', () => {
    expect(csvRecord(['a,b', 'say "hi"', 'x\ny', 'plain', 12, null])).toBe(
      '"a,b","say ""hi""","x\ny",plain,12,\r\n',
    );
  });

  it.each(['=HYPERLINK("http://evil","x")', '+86 755 1234', '-1+1', '@SUM(A1)', '\tcmd'])(
    'turns the formula-like cell %j into text with a leading apostrophe',
    (value) => {
      expect(csvField(value).replace(/^"|"$/g, '').startsWith(`'`)).toBe(true);
    },
  );

  it('leaves ordinary text and numbers alone', () => {
    expect(csvField('深圳市鹏程易付科技有限公司')).toBe('深圳市鹏程易付科技有限公司');
    expect(csvField('1234.50')).toBe('1234.50');
    expect(csvField(0)).toBe('0');
  });

  it('reads back what it writes', () => {
    const values = ['a,"b"', '多行\r\n文本', 'x'];
    const read = readCsv(csvRecord(values));
    expect(read.ok && read.records[0].cells).toEqual(values);
  });
});

describe('member import checks', () => {
  const row = (over: Partial<Record<(typeof IMPORT_COLUMNS)[number], string>> = {}): string => {
    const values = {
      name: '深圳市示例支付有限公司',
      name_en: 'Shenzhen Example Payment Co., Ltd.',
      credit_code: TENCENT,
      district: '南山区',
      tier: '会员单位',
      member_since: '2019-03-01',
      legal_representative: '张三',
      contact_email: 'office@example.cn',
      categories: '第三方支付|mobile_payment',
      ...over,
    };
    return IMPORT_COLUMNS.map((c) => csvField(values[c])).join(',');
  };

  it('accepts a valid file and normalises codes, labels and dates', () => {
    const result = check(
      [
        HEADER,
        row({ credit_code: TENCENT.toLowerCase() }),
        row({
          name: '乙',
          name_en: '',
          credit_code: HUAWEI,
          district: 'qianhai',
          tier: 'council',
          member_since: '2020/1/5',
          legal_representative: '',
          contact_email: '',
          categories: '',
        }),
      ].join('\r\n'),
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          name: '深圳市示例支付有限公司',
          nameEn: 'Shenzhen Example Payment Co., Ltd.',
          creditCode: TENCENT,
          district: 'nanshan',
          tier: 'member',
          memberSince: '2019-03-01',
          legalRepresentative: '张三',
          contactEmail: 'office@example.cn',
          categories: ['third_party_payment', 'mobile_payment'],
        },
        {
          line: 3,
          name: '乙',
          nameEn: null,
          creditCode: HUAWEI,
          district: 'qianhai',
          tier: 'council',
          memberSince: '2020-01-05',
          legalRepresentative: null,
          contactEmail: null,
          categories: [],
        },
      ],
    });
  });

  it('takes the columns in any order', () => {
    const reversed = [...IMPORT_COLUMNS].reverse();
    const values: Record<string, string> = {
      name: '甲',
      name_en: '',
      credit_code: TENCENT,
      district: '福田',
      tier: '会长单位',
      member_since: '2018-01-01',
      legal_representative: '',
      contact_email: '',
      categories: '',
    };
    const result = check(`${reversed.join(',')}\n${reversed.map((c) => values[c]).join(',')}\n`);
    expect(result.ok && result.rows[0]).toMatchObject({
      name: '甲',
      district: 'futian',
      tier: 'president',
    });
  });

  it('reports every bad row with its line number (header is line 1), column and both languages', () => {
    const problems = problemsOf(
      [
        HEADER,
        row(),
        row({ name: '', credit_code: HUAWEI.slice(0, 17) + '7' }),
        '',
        row({
          name: '丙',
          credit_code: PINGAN,
          district: '香港',
          tier: '普通会员',
          member_since: '2019-02-30',
          contact_email: 'not-an-email',
          categories: '网络信贷|区块链',
        }),
      ].join('\n'),
    );
    expect(problems.map(brief)).toEqual([
      [3, 'name', 'REQUIRED'],
      [3, 'credit_code', 'CREDIT_CODE_INVALID'],
      [5, 'district', 'DISTRICT_UNKNOWN'],
      [5, 'tier', 'TIER_UNKNOWN'],
      [5, 'member_since', 'DATE_INVALID'],
      [5, 'contact_email', 'EMAIL_INVALID'],
      [5, 'categories', 'CATEGORY_UNKNOWN'],
    ]);
    expect(problems[1].message).toEqual({ 'zh-CN': '代码无效', en: 'code invalid' });
    expect(problems[6].message['zh-CN']).toContain('区块链');
    expect(problems[6].message.en).toContain('区块链');
  });

  it('refuses a credit code repeated within the file, naming the first line', () => {
    const problems = problemsOf(
      [HEADER, row(), row({ name: '乙' }), row({ name: '丙', credit_code: HUAWEI })].join('\n'),
    );
    expect(problems.map(brief)).toEqual([[3, 'credit_code', 'CREDIT_CODE_REPEATED']]);
    expect(problems[0].message.en).toBe(`The credit code ${TENCENT} already appears on line 2.`);
  });

  it('refuses credit codes and names already registered', () => {
    const ctx = { ...CTX, takenCreditCodes: new Set([TENCENT]), takenNames: new Set(['乙']) };
    const problems = problemsOf(
      [HEADER, row(), row({ name: '乙', credit_code: HUAWEI })].join('\n'),
      ctx,
    );
    expect(problems.map(brief)).toEqual([
      [2, 'credit_code', 'CREDIT_CODE_TAKEN'],
      [3, 'name', 'NAME_TAKEN'],
    ]);
    expect(problems[0].message['zh-CN']).toBe('代码已登记');
  });

  it('explains a credit code that a spreadsheet turned into a number', () => {
    const problems = problemsOf([HEADER, row({ credit_code: '9.14403E+17' })].join('\n'));
    expect(problems.map(brief)).toEqual([[2, 'credit_code', 'CREDIT_CODE_AS_NUMBER']]);
  });

  it('refuses a membership date after today', () => {
    const problems = problemsOf([HEADER, row({ member_since: '2026-05-21' })].join('\n'));
    expect(problems.map(brief)).toEqual([[2, 'member_since', 'DATE_IN_FUTURE']]);
  });

  it('refuses a line with the wrong number of cells', () => {
    const problems = problemsOf([HEADER, row(), 'only,three,cells'].join('\n'));
    expect(problems.map(brief)).toEqual([[3, null, 'CELL_COUNT']]);
  });

  it('refuses values longer than the firm record holds', () => {
    const problems = problemsOf(
      [HEADER, row({ legal_representative: '名'.repeat(51) })].join('\n'),
    );
    expect(problems.map(brief)).toEqual([[2, 'legal_representative', 'TOO_LONG']]);
  });

  it('names missing, unknown and repeated header columns', () => {
    const problems = problemsOf('name,credit_code,phone,name\n甲,x,y,z\n');
    expect(problems.map(brief)).toEqual([
      [1, null, 'HEADER_MISSING'],
      [1, null, 'HEADER_UNKNOWN'],
      [1, null, 'HEADER_REPEATED'],
    ]);
    expect(problems[0].message.en).toContain('name_en, district, tier');
  });

  it('refuses an empty file and a file with only a header', () => {
    expect(problemsOf('').map(brief)).toEqual([[1, null, 'EMPTY_FILE']]);
    expect(problemsOf(`${HEADER}\r\n`).map(brief)).toEqual([[1, null, 'NO_ROWS']]);
  });

  it(`refuses more than ${IMPORT_MAX_ROWS} rows with one clear problem`, () => {
    const lines = [HEADER, ...Array.from({ length: IMPORT_MAX_ROWS + 1 }, () => row())];
    const problems = problemsOf(lines.join('\n'));
    expect(problems.map(brief)).toEqual([[1, null, 'TOO_MANY_ROWS']]);
    expect(problems[0].message.en).toContain(String(IMPORT_MAX_ROWS));
  });
});

describe('import value readers', () => {
  it('reads dates as ISO or as a Chinese spreadsheet writes them', () => {
    expect(importDate('2019-03-01')).toBe('2019-03-01');
    expect(importDate('2019/3/1')).toBe('2019-03-01');
    expect(importDate('2019-13-01')).toBeNull();
    expect(importDate('01/03/2019')).toBeNull();
  });

  it('knows districts by code, Chinese name, and Chinese name without 区', () => {
    expect(importDistrict('Futian')).toBe('futian');
    expect(importDistrict('福田区')).toBe('futian');
    expect(importDistrict('福田')).toBe('futian');
    expect(importDistrict('前海深港合作区')).toBe('qianhai');
    expect(importDistrict('大鹏新区')).toBe('dapeng');
    expect(importDistrict('香港')).toBeNull();
  });
});
