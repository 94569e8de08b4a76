import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ASSOCIATION_NAME } from '../certificates/pdf/certificate-renderer.js';
import {
  DOCUMENT_KINDS,
  type DocumentFactsByKind,
  type DocumentHolder,
  type DocumentIssue,
  type DocumentKind,
  type DuesFacts,
} from './document-facts.js';
import { DocumentRenderer } from './document-renderer.js';

const renderer = new DocumentRenderer();
const work = mkdtempSync(join(tmpdir(), 'szifa-doc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let fileNo = 0;
function poppler(tool: string, pdf: Buffer, args: string[] = []): string {
  const file = join(work, `doc-${fileNo++}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])]).toString(
    'utf8',
  );
}
const squeezed = (text: string) => text.replace(/\s+/g, '');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const HOLDER: DocumentHolder = {
  firmNameZh: '深圳前海示例金融科技有限公司',
  firmNameEn: 'Qianhai Example Fintech Co., Ltd.',
  creditCode: '91440300MA5G0ABC1X',
};

const DUES: DuesFacts = {
  holder: HOLDER,
  year: 2026,
  kind: { zh: '续会会费', en: 'Renewal' },
  tier: { zh: '理事单位', en: 'Council member' },
  amount: '50,000.00',
  paid: '20,000.00',
  balance: '30,000.00',
  dueOn: '2026-03-31',
  status: { zh: '待缴', en: 'Open' },
  payments: [{ paidOn: '2026-02-01', amount: '20,000.00', bankReference: 'ICBC-0001' }],
  waivedReason: null,
};

const AGREEMENT = [
  '调解协议书',
  '',
  '一、甲方（投诉人）与乙方（被投诉机构）经调解员主持调解，自愿达成如下协议：',
  '二、乙方于履行期限前退还服务费 1,234.56 元。',
  '',
  '（以下无正文）',
].join('\n');

function sample<K extends DocumentKind>(kind: K): DocumentFactsByKind[K] {
  const all: DocumentFactsByKind = {
    'pledge-receipt': {
      holder: HOLDER,
      conventionTitleZh: '深圳市互联网金融行业自律公约',
      conventionTitleEn: 'Self-discipline Convention',
      conventionVersion: 3,
      signatoryName: '张三',
      signatoryTitle: '总经理',
      signedAt: '2026-05-04 10:11:12',
      signatureId: '6f1c2b8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f',
      textFingerprint: 'a'.repeat(64),
      status: { zh: '有效', en: 'Valid' },
    },
    'dues-invoice': DUES,
    'dues-receipt': DUES,
    'settlement-agreement': {
      holder: HOLDER,
      ticketNumber: 'SZIFA-M-2026-000123',
      revision: 2,
      complainantName: '李四',
      mediatorName: '王五',
      amount: '1,234.56',
      performanceDeadline: '2026-06-30',
      status: { zh: '已签署生效', en: 'Signed and in force' },
      textFingerprint: 'b'.repeat(64),
      signatures: [
        {
          party: { zh: '投诉人', en: 'Complainant' },
          signer: '李四',
          signedAt: '2026-06-01 09:00:00',
          status: { zh: '有效', en: 'Valid' },
        },
      ],
      agreementText: AGREEMENT,
    },
  };
  return all[kind];
}

const issue = (number = 'SZIFA-D-2026-000042'): DocumentIssue => ({
  number,
  issuedOn: '2026-05-04',
  verifyUrl: 'https://szifa.example.cn/verify/document/invoice/x?t=abc',
});

describe.each(DOCUMENT_KINDS)('a %s PDF', (kind) => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await renderer.render(kind, sample(kind), issue());
  });

  it('gives back the association, the firm and the number as text', () => {
    const text = squeezed(poppler('pdftotext', pdf));
    for (const expected of [ASSOCIATION_NAME.zh, HOLDER.firmNameZh, 'SZIFA-D-2026-000042'])
      expect(text).toContain(expected);
  });

  it('embeds only Noto Sans SC subsets and no raster image (QR code and seal are vectors)', () => {
    const rows = poppler('pdffonts', pdf).trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^[A-Z]{6}\+NotoSansSC-\S+\s+CID TrueType/);
    expect(poppler('pdfimages', pdf, ['-list']).trim().split('\n').slice(2)).toEqual([]);
  });

  it('gives the same bytes for the same facts, and other bytes for another number', async () => {
    expect(sha256(await renderer.render(kind, sample(kind), issue()))).toBe(sha256(pdf));
    const other = await renderer.render(kind, sample(kind), issue('SZIFA-D-2026-000043'));
    expect(sha256(other)).not.toBe(sha256(pdf));
  });
});

describe('document layout safety and flow', () => {
  it('draws a fact containing a directive or a cell separator as plain text', async () => {
    const facts = {
      ...DUES,
      payments: [{ paidOn: '2026-02-01', amount: '1.00', bankReference: 'X | Y\nseal | 伪章' }],
    };
    const text = poppler('pdftotext', await renderer.render('dues-receipt', facts, issue()));
    expect(squeezed(text)).toContain('X｜Yseal｜伪章');
  });

  it('keeps the agreement text line for line and flows a long one onto more pages', async () => {
    const long = Array.from({ length: 120 }, (_, i) => `第${i + 1}条 双方同意的条款内容。`).join(
      '\n',
    );
    const facts = { ...sample('settlement-agreement'), agreementText: long };
    const pdf = await renderer.render('settlement-agreement', facts, issue());
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', pdf))?.[1]);
    expect(pages).toBeGreaterThan(1);
    const text = squeezed(poppler('pdftotext', pdf));
    expect(text).toContain('第1条双方同意的条款内容。第2条');
    expect(text).toContain('第120条');
    expect(text).toContain(`第${pages}/${pages}页`);
  });

  it('refuses an issue date that is not a calendar date', async () => {
    await expect(
      renderer.render('dues-invoice', DUES, { ...issue(), issuedOn: '2026-13-01' }),
    ).rejects.toThrow('issuedOn');
  });
});
