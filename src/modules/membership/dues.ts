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

// Yuan ↔ fen conversions are shared with other modules (disputes, certificates).
export { formatFen, parseYuanToFen } from '../../common/money.js';
