import { describe, expect, it } from '@jest/globals';
import { reopenWindowEnd } from './performance.service.js';
import { canonicalAgreementText, plainTextOf } from './settlements.service.js';
import { CALENDAR_2026, WorkingCalendar } from './working-calendar.js';

const calendar2026 = new WorkingCalendar(new Map(CALENDAR_2026.map((d) => [d.date, d.kind])));

describe('settlement agreement text', () => {
  it('undoes exactly the HTML escaping of the template, so the plain text reads as typed', () => {
    expect(plainTextOf('O&#x27;Brien &amp; Co &lt;b&gt; &quot;x&quot; &#x3D; &#x60;')).toBe(
      'O\'Brien & Co <b> "x" = `',
    );
    // Someone who typed an entity keeps it: escaping turned "&" into "&amp;" first.
    expect(plainTextOf('&amp;amp;')).toBe('&amp;');
  });

  it('fingerprints one canonical form: NFC, \\n line ends, no trailing blanks, one final newline', () => {
    expect(canonicalAgreementText('a  \r\nb\rc\n\n\n')).toBe('a\nb\nc\n');
    expect(canonicalAgreementText('e\u0301')).toBe('\u00e9\n');
  });
});

describe('reopen window', () => {
  it('ends 10 working days after the performance deadline, across the National Day holiday and the 10 October adjusted working day', () => {
    expect(reopenWindowEnd(calendar2026, '2026-09-30')).toBe('2026-10-20');
  });

  it('counts a deadline that falls in a holiday from the first working day after it', () => {
    expect(reopenWindowEnd(calendar2026, '2026-10-03')).toBe('2026-10-20');
    expect(reopenWindowEnd(calendar2026, '2026-10-08')).toBe('2026-10-21');
  });
});
