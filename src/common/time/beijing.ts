/**
 * Calendar arithmetic in Beijing time (UTC+8, no daylight saving). Instants are stored in UTC;
 * membership years, due dates and deadlines are Beijing calendar dates (YYYY-MM-DD).
 */
const OFFSET_MS = 8 * 3600 * 1000;

/** The Beijing calendar date of an instant. */
export function beijingDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

export function beijingYear(instant: Date): number {
  return Number(beijingDate(instant).slice(0, 4));
}

/** 1–12. */
export function beijingMonth(instant: Date): number {
  return Number(beijingDate(instant).slice(5, 7));
}

/** The instant at which a Beijing calendar date begins. */
export function startOfBeijingDate(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - OFFSET_MS);
}

/** date + n calendar days (n may be negative). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00.000Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}
