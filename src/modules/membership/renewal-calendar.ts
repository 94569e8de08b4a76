import { addDays } from '../../common/time/beijing.js';

/**
 * The renewal calendar, in Beijing calendar dates (YYYY-MM-DD). The membership year is the
 * calendar year; next year's invoices go out from 1 November and fall due on 31 December;
 * after `graceDays` more days an unpaid membership lapses.
 */

/** First month (1-12) in which next year's renewal invoices are raised. */
export const RENEWAL_MONTH = 11;

export const REMINDER_KINDS = ['before_30', 'before_7', 'day_0', 'grace_30', 'grace_last'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** The membership year renewal invoices are raised for on `today`, or null outside the season. */
export function renewalYearOn(today: string): number | null {
  const month = Number(today.slice(5, 7));
  return month >= RENEWAL_MONTH ? Number(today.slice(0, 4)) + 1 : null;
}

/** The due date of a renewal invoice for membership year `year`: the last day of the year before. */
export function renewalDueOn(year: number): string {
  return `${year - 1}-12-31`;
}

/** The last day of grace: an invoice still open after this day makes the membership lapse. */
export function lastDayOfGrace(dueOn: string, graceDays: number): string {
  return addDays(dueOn, graceDays);
}

/** True when an invoice due on `dueOn` and still open on `today` is past its grace period. */
export function isPastGrace(dueOn: string, graceDays: number, today: string): boolean {
  return lastDayOfGrace(dueOn, graceDays) < today;
}

/**
 * The reminders of an invoice due on `dueOn`, each with the first day it may go out: 30 and 7
 * days before the due date, on it, 30 days into the grace period and a week before the grace
 * ends. Grace reminders fall inside the grace period or not at all (a short or zero grace
 * period has fewer of them).
 */
export function reminderSchedule(
  dueOn: string,
  graceDays: number,
): Array<{ kind: ReminderKind; on: string }> {
  const schedule: Array<{ kind: ReminderKind; offset: number }> = [
    { kind: 'before_30', offset: -30 },
    { kind: 'before_7', offset: -7 },
    { kind: 'day_0', offset: 0 },
    { kind: 'grace_30', offset: 30 },
    { kind: 'grace_last', offset: graceDays - 7 },
  ];
  return schedule
    .filter(({ kind, offset }) => !kind.startsWith('grace_') || (offset > 0 && offset <= graceDays))
    .map(({ kind, offset }) => ({ kind, on: addDays(dueOn, offset) }))
    .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

/**
 * The one reminder due on `today`: the latest whose day has come, while the membership has not
 * lapsed yet. A reminder whose day passed while a later one is due is skipped rather than sent
 * late, so a firm never gets two at once (after an outage, say).
 */
export function reminderDueOn(
  dueOn: string,
  graceDays: number,
  today: string,
): ReminderKind | null {
  if (isPastGrace(dueOn, graceDays, today)) return null;
  let due: ReminderKind | null = null;
  for (const { kind, on } of reminderSchedule(dueOn, graceDays)) if (on <= today) due = kind;
  return due;
}
