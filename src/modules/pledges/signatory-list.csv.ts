import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { CSV_BOM, csvRecord } from '../../common/csv.js';
import type { SignatoryEntry } from './signatory-list.service.js';

/**
 * The public signatory list as a CSV file for Excel: UTF-8 with a byte-order mark, RFC 4180,
 * and the membership export's guard against cells a spreadsheet would run as formulas (firm
 * names come from firms). Dates are Beijing calendar dates, as on the page.
 */
export async function signatoryCsv(
  entries: AsyncIterable<SignatoryEntry>,
  locale: Locale,
): Promise<string> {
  const head = ['firm', 'firmEn', 'creditCode', 'status', 'date'].map((key) =>
    translate(locale, `pledgeList.csv.${key}`),
  );
  const lines = [CSV_BOM + csvRecord(head)];
  for await (const entry of entries) {
    lines.push(
      csvRecord([
        entry.firmName,
        entry.firmNameEn,
        entry.creditCode,
        translate(locale, `pledgeList.status.${entry.status}`),
        entry.date ? beijingDate(new Date(entry.date)) : null,
      ]),
    );
  }
  return lines.join('');
}

export function signatoryCsvName(versionNumber: number, now = new Date()): string {
  return `szifa-convention-v${versionNumber}-signatories-${beijingDate(now)}.csv`;
}
