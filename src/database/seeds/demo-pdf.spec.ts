import { describe, expect, it } from '@jest/globals';
import { sniffContentType } from '../../modules/files/content-type.js';
import { simplePdf } from './demo-pdf.js';

describe('simple PDF', () => {
  const pdf = simplePdf(['DEMO BUSINESS LICENCE', 'Credit code 91440300MA5F6PX58E (test)']);
  const text = pdf.toString('latin1');

  it('is recognised as a PDF by its first bytes', () => {
    expect(sniffContentType(pdf)?.type).toBe('application/pdf');
    expect(text.endsWith('%%EOF\n')).toBe(true);
  });

  it('points every cross-reference entry at the start of its object', () => {
    const xrefAt = Number(/startxref\n(\d+)\n/.exec(text)?.[1]);
    expect(text.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const entries = [...text.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) =>
      Number(m[1]),
    );
    expect(entries).toHaveLength(5);
    entries.forEach((offset, i) =>
      expect(text.slice(offset).startsWith(`${i + 1} 0 obj`)).toBe(true),
    );
  });

  it('states the exact length of its content stream and escapes parentheses', () => {
    const match = /<< \/Length (\d+) >>\nstream\n([\s\S]*?)\nendstream/.exec(text);
    expect(Number(match?.[1])).toBe(Buffer.byteLength(match?.[2] ?? '', 'latin1'));
    expect(match?.[2]).toContain('\\(test\\)');
  });
});
