import { buildLayout, flattenFacts, parseLayout } from './certificate-layout.js';
import { sampleFacts } from './certificate-samples.js';

describe('certificate layout', () => {
  it('reads one directive a line, the last argument keeping any "|" of the value', () => {
    expect(
      parseLayout('# note\n\nfield | 会员单位 | Member | A | B 公司\ngap | 6\nseal | 证书专用章'),
    ).toEqual([
      { op: 'field', labelZh: '会员单位', labelEn: 'Member', value: 'A | B 公司' },
      { op: 'gap', points: 6 },
      { op: 'seal', text: '证书专用章' },
    ]);
  });

  it('rejects an unknown directive or a missing argument, naming the line', () => {
    expect(() => parseLayout('title | 会员证书 | Certificate\nimage | seal.png')).toThrow(
      'layout line 2: unknown directive "image"',
    );
    expect(() => parseLayout('field | 会员单位 | Member')).toThrow('field needs 3 argument(s)');
  });

  it('flattens every string fact onto one line, leaving numbers and nulls alone', () => {
    expect(flattenFacts({ a: 'x\ny\r\tz', b: [2026, null], c: { d: 'e\u2028f' } })).toEqual({
      a: 'x y z',
      b: [2026, null],
      c: { d: 'e f' },
    });
  });

  it('fills the template with the facts and nothing else (no HTML escaping)', () => {
    const facts = sampleFacts({ firmNameZh: 'A&B <公司>', firmNameEn: null, creditCode: 'X' });
    const layout = buildLayout('membership', {
      ...facts.membership,
      association: { zh: '协会', en: 'Association' },
      serial: 'SZIFA-MEM-2026-000001',
      verifyUrl: 'https://example.org/verify/SZIFA-MEM-2026-000001',
      issuedOn: '2026-01-05',
      expiresOn: '2026-12-31',
      issuedOnZh: '2026年1月5日',
      expiresOnZh: '2026年12月31日',
    });
    expect(layout).toContainEqual({
      op: 'field',
      labelZh: '会员单位',
      labelEn: 'Member',
      value: 'A&B <公司>',
    });
    expect(layout.map((line) => line.op)).toEqual([
      'header',
      'title',
      'para',
      'para-en',
      'gap',
      'field',
      'field',
      'field',
      'field',
      'field',
      'qr',
      'signoff',
      'seal',
      'footer',
    ]);
  });
});
