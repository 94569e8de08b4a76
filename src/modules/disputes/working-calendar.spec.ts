import { CALENDAR_2026, WorkingCalendar } from './working-calendar.js';

const calendar2026 = new WorkingCalendar(new Map(CALENDAR_2026.map((d) => [d.date, d.kind])));
const plainWeeks = new WorkingCalendar(new Map());

describe('working-day deadlines on the 2026 calendar', () => {
  it('a firm response due 5 working days after filing on 2026-09-30 lands on 2026-10-13', () => {
    // Oct 1–7 off; Oct 8, 9, 10 (adjusted Saturday), 12, 13.
    expect(calendar2026.addWorkingDays('2026-09-30', 5)).toBe('2026-10-13');
  });

  it('without the adjusted working day on 10 October the same clock would end a day later', () => {
    const without = new WorkingCalendar(
      new Map(CALENDAR_2026.filter((d) => d.date !== '2026-10-10').map((d) => [d.date, d.kind])),
    );
    expect(without.addWorkingDays('2026-09-30', 5)).toBe('2026-10-14');
  });

  it('triage due 2 working days after a filing on the eve of Spring Festival skips the whole break', () => {
    // Sat 14 Feb is worked; 15–23 Feb off; Tue 24 and Wed 25 are the next working days.
    expect(calendar2026.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(calendar2026.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
  });

  it('a mediator acceptance due 1 working day after a Friday falls on Monday in a plain week', () => {
    expect(calendar2026.addWorkingDays('2026-03-13', 1)).toBe('2026-03-16');
  });

  it('counts the adjusted Sunday 4 January and skips New Year', () => {
    expect(calendar2026.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
    expect(calendar2026.addWorkingDays('2025-12-31', 2)).toBe('2026-01-05');
  });

  it('mediation due 30 working days after 2026-09-01 spans Mid-Autumn and National Day', () => {
    // September after the 1st: 2–4, 7–11, 14–18, 20 (Sunday worked), 21–24, 28–30 → 21 days;
    // October: 8, 9, 10, 12–16 → 29; Monday 19 October is the 30th.
    expect(calendar2026.addWorkingDays('2026-09-01', 30)).toBe('2026-10-19');
  });

  it('a clock started on a holiday counts from the next working day', () => {
    expect(calendar2026.addWorkingDays('2026-10-03', 2)).toBe('2026-10-09');
    expect(calendar2026.addWorkingDays('2026-10-03', 0)).toBe('2026-10-08');
  });

  it('tells working days from days off, both ways', () => {
    expect(calendar2026.isWorkingDay('2026-10-10')).toBe(true); // Saturday, adjusted
    expect(calendar2026.isWorkingDay('2026-10-05')).toBe(false); // Monday, National Day
    expect(calendar2026.isWorkingDay('2026-10-11')).toBe(false); // plain Sunday
    expect(plainWeeks.isWorkingDay('2026-10-05')).toBe(true);
  });

  it('counts working days between two dates, excluding the start', () => {
    expect(calendar2026.workingDaysBetween('2026-09-30', '2026-10-13')).toBe(5);
    expect(calendar2026.workingDaysBetween('2026-10-13', '2026-09-30')).toBe(0);
    expect(calendar2026.workingDaysBetween('2026-10-01', '2026-10-07')).toBe(0);
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => calendar2026.addWorkingDays('2026-01-05', -1)).toThrow(RangeError);
    expect(() => calendar2026.addWorkingDays('2026-01-05', 1.5)).toThrow(RangeError);
  });

  it('ships 2026 with every listed holiday and adjusted working day', () => {
    const holidays = CALENDAR_2026.filter((d) => d.kind === 'holiday').length;
    const workdays = CALENDAR_2026.filter((d) => d.kind === 'workday').map((d) => d.date);
    expect(holidays).toBe(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(workdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });
});
