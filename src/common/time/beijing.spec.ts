import { describe, expect, it } from '@jest/globals';
import {
  addDays,
  beijingDate,
  daysBetween,
  isCalendarDate,
  startOfBeijingDate,
} from './beijing.js';

describe('Beijing calendar', () => {
  it('puts 2026-12-31T16:30Z on 1 January in Beijing', () => {
    expect(beijingDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(beijingDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
  });

  it('starts a Beijing day at 16:00 UTC the day before', () => {
    expect(startOfBeijingDate('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 60)).toBe('2027-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-01', '2026-12-31')).toBe(30);
  });

  it('refuses impossible dates', () => {
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-13-01')).toBe(false);
  });
});
