import { addDays } from '../../common/time/beijing.js';
import type { CalendarDayKind } from './entities/calendar-day.entity.js';

/**
 * Working-day arithmetic on Beijing dates (YYYY-MM-DD). Monday to Friday are working days,
 * except the listed holidays; Saturdays and Sundays are not, except the listed adjusted
 * working days (调休). Pure: the exceptions are passed in.
 */
export class WorkingCalendar {
  constructor(private readonly exceptions: ReadonlyMap<string, CalendarDayKind>) {}

  isWorkingDay(date: string): boolean {
    const exception = this.exceptions.get(date);
    if (exception === 'holiday') return false;
    if (exception === 'workday') return true;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The date `n` working days after `date`, not counting `date` itself: a 5-working-day clock
   * started on Wednesday 2026-09-30 runs out on 2026-10-13 (the National Day week is off and
   * Saturday 10 October is worked). n = 0 gives `date` if it is a working day, else the next.
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be ≥ 0: ${n}`);
    let current = date;
    if (n === 0) {
      while (!this.isWorkingDay(current)) current = addDays(current, 1);
      return current;
    }
    let left = n;
    // A year has fewer than 120 days off; the bound only stops a runaway on corrupt data.
    for (let guard = 0; left > 0; guard++) {
      if (guard > n * 7 + 400) throw new RangeError(`no working days after ${date}`);
      current = addDays(current, 1);
      if (this.isWorkingDay(current)) left--;
    }
    return current;
  }

  /**
   * Working days after `from` up to and including `to` (0 when `to` is not later): how many
   * working days of a clock have passed, or how late a deadline is.
   */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) count++;
    return count;
  }
}

/** The official 2026 arrangement (国务院办公厅关于2026年部分节假日安排的通知), also shipped by migration. */
export const CALENDAR_2026: ReadonlyArray<{
  date: string;
  kind: CalendarDayKind;
  nameZh: string;
  nameEn: string;
}> = [
  ...range('2026-01-01', '2026-01-03', 'holiday', '元旦', "New Year's Day"),
  {
    date: '2026-01-04',
    kind: 'workday',
    nameZh: '元旦调休上班',
    nameEn: "New Year's Day make-up working day",
  },
  {
    date: '2026-02-14',
    kind: 'workday',
    nameZh: '春节调休上班',
    nameEn: 'Spring Festival make-up working day',
  },
  ...range('2026-02-15', '2026-02-23', 'holiday', '春节', 'Spring Festival'),
  {
    date: '2026-02-28',
    kind: 'workday',
    nameZh: '春节调休上班',
    nameEn: 'Spring Festival make-up working day',
  },
  ...range('2026-04-04', '2026-04-06', 'holiday', '清明节', 'Qingming Festival'),
  ...range('2026-05-01', '2026-05-05', 'holiday', '劳动节', 'Labour Day'),
  {
    date: '2026-05-09',
    kind: 'workday',
    nameZh: '劳动节调休上班',
    nameEn: 'Labour Day make-up working day',
  },
  ...range('2026-06-19', '2026-06-21', 'holiday', '端午节', 'Dragon Boat Festival'),
  {
    date: '2026-09-20',
    kind: 'workday',
    nameZh: '中秋节调休上班',
    nameEn: 'Mid-Autumn Festival make-up working day',
  },
  ...range('2026-09-25', '2026-09-27', 'holiday', '中秋节', 'Mid-Autumn Festival'),
  ...range('2026-10-01', '2026-10-07', 'holiday', '国庆节', 'National Day'),
  {
    date: '2026-10-10',
    kind: 'workday',
    nameZh: '国庆节调休上班',
    nameEn: 'National Day make-up working day',
  },
];

function range(
  from: string,
  to: string,
  kind: CalendarDayKind,
  nameZh: string,
  nameEn: string,
): Array<{ date: string; kind: CalendarDayKind; nameZh: string; nameEn: string }> {
  const out = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push({ date: d, kind, nameZh, nameEn });
  return out;
}
