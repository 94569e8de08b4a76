/**
 * Money is integer fen (分) everywhere; people type and read 元. These conversions never go
 * through a binary float ("19.99" → 1999, where 19.99 * 100 gives 1998.9999…).
 */

/** Largest amount accepted from people: 10 billion 元, well inside exact integer range in fen. */
export const MAX_FEN = 10_000_000_000 * 100;

/**
 * 元 as typed ("1234.5", "1,234.50", "¥20000") to fen, or null when it is not an amount: at
 * most two decimals, no sign, no exponent, thousands separators only between groups of three.
 */
export function parseYuanToFen(input: string): number | null {
  const value = input
    .trim()
    .replace(/^[¥￥]\s*/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '');
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return null;
  const fen = BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  return fen > BigInt(MAX_FEN) ? null : Number(fen);
}

/** Fen as 元 with two decimals and no separators, for APIs and CSV: 123456 → "1234.56". */
export function formatFenPlain(fen: number): string {
  const negative = fen < 0;
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Fen as 元 for pages, with thousands separators: 123456789 → "1,234,567.89". */
export function formatFen(fen: number): string {
  const [whole, cents] = formatFenPlain(fen).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}
