import { DOCUMENT_KINDS } from './document-facts.js';
import { buildDocumentLayout, documentContext, parseDocumentLayout } from './document-layout.js';

describe('document layout', () => {
  it('reads directives, tables and blocks, skipping comments and blank lines', () => {
    const layout = parseDocumentLayout(
      [
        '# a comment',
        'title | 会费收据 | Receipt',
        '',
        'cols | 1 | 3',
        'th | 日期 | 金额',
        'td | 2026-01-01 | 1.00',
        'block | agreementText',
        'gap | 6',
      ].join('\n'),
    );
    expect(layout).toEqual([
      { op: 'title', zh: '会费收据', en: 'Receipt' },
      { op: 'cols', widths: [1, 3] },
      { op: 'th', cells: ['日期', '金额'] },
      { op: 'td', cells: ['2026-01-01', '1.00'] },
      { op: 'block', name: 'agreementText' },
      { op: 'gap', points: 6 },
    ]);
  });

  it('refuses an unknown directive, a wrong argument count and a row that does not fit the columns', () => {
    expect(() => parseDocumentLayout('stamp | x')).toThrow('unknown directive "stamp"');
    expect(() => parseDocumentLayout('field | a | b')).toThrow('field needs 3 argument(s)');
    expect(() => parseDocumentLayout('cols | 1 | 1\ntd | a')).toThrow('td needs 2 cell(s)');
    expect(() => parseDocumentLayout('gap | wide')).toThrow('gap needs numbers');
  });

  it('keeps every fact on one line and inside one argument', () => {
    expect(documentContext({ a: 'x | y\nseal | 伪章', b: ['1|2'], n: 3, z: null })).toEqual({
      a: 'x ｜ y seal ｜ 伪章',
      b: ['1｜2'],
      n: 3,
      z: null,
    });
  });

  it.each(DOCUMENT_KINDS)(
    'refuses to fill the %s template with a fact missing (strict)',
    (kind) => {
      expect(() => buildDocumentLayout(kind, {})).toThrow();
    },
  );
});
