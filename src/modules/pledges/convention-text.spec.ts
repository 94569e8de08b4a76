import { describe, expect, it } from '@jest/globals';
import { canonicalText, fingerprintOf, normaliseText } from './convention-text.js';

const base = {
  titleZh: '自律公约',
  titleEn: 'Self-discipline convention',
  bodyZh: '# 第一条\n\n会员应当守法经营。\n',
  bodyEn: '# Article 1\n\nMembers obey the law.\n',
};

describe('the canonical text a fingerprint covers', () => {
  it('gives the same fingerprint for \\r\\n and \\n line endings', () => {
    const crlf = { ...base, bodyZh: base.bodyZh.replace(/\n/g, '\r\n') };
    expect(fingerprintOf(crlf)).toBe(fingerprintOf(base));
  });

  it('gives the same fingerprint for composed and decomposed Unicode (NFC)', () => {
    const composed = { ...base, bodyEn: 'Caf\u00e9 rules.' };
    const decomposed = { ...base, bodyEn: 'Cafe\u0301 rules.' };
    expect(decomposed.bodyEn).not.toBe(composed.bodyEn);
    expect(fingerprintOf(decomposed)).toBe(fingerprintOf(composed));
  });

  it('ignores trailing blanks on a line and blank lines at either end', () => {
    const padded = { ...base, bodyZh: `\n\n${base.bodyZh.replace('经营。', '经营。  \t')}\n\n\n` };
    expect(fingerprintOf(padded)).toBe(fingerprintOf(base));
  });

  it('changes the fingerprint when a word of the text changes', () => {
    expect(fingerprintOf({ ...base, bodyZh: base.bodyZh.replace('守法', '依法') })).not.toBe(
      fingerprintOf(base),
    );
  });

  it('is a sha256 hex digest of text ending in exactly one newline', () => {
    expect(fingerprintOf(base)).toMatch(/^[0-9a-f]{64}$/);
    const text = canonicalText(base);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    expect(text.startsWith('[title.zh]\n自律公约\n\n[title.en]\n')).toBe(true);
  });

  it('treats an absent English text like an empty one', () => {
    expect(canonicalText({ ...base, titleEn: null, bodyEn: null })).toBe(
      canonicalText({ ...base, titleEn: '', bodyEn: '' }),
    );
    expect(normaliseText('a \r\nb\t\r\n')).toBe('a\nb');
  });
});
