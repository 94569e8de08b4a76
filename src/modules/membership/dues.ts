/**
 * Dues arithmetic in integer fen (1 CNY = 100 fen). No floating point touches money.
 */

/**
 * A new member's first invoice covers the months left in the calendar year, counting the month
 * of approval: joining in March pays 10/12 of the annual fee. Rounded half up to the fen.
 */
export function proratedFeeFen(annualFeeFen: number, joinedMonth: number): number {
  if (!Number.isInteger(annualFeeFen) || annualFeeFen < 0)
    throw new RangeError('annual fee must be whole fen');
  if (!Number.isInteger(joinedMonth) || joinedMonth < 1 || joinedMonth > 12)
    throw new RangeError('month is 1-12');
  const months = 13 - joinedMonth;
  return Math.floor((annualFeeFen * months * 2 + 12) / 24);
}

/** Parses "1234.5" / "1,234.50" / "1234" yuan into fen, or null when it is not an amount. */
export function parseYuanToFen(input: string): number | null {
  const cleaned = input.trim().replace(/,/g, '');
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return Number(match[1]) * 100 + Number(fraction);
}

/** 123456 fen → "1,234.56". */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
