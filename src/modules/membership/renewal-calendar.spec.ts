import { describe, expect, it } from '@jest/globals';
import {
  isPastGrace,
  lastDayOfGrace,
  reminderDueOn,
  reminderSchedule,
  renewalDueOn,
  renewalYearOn,
} from './renewal-calendar.js';

describe('renewal calendar', () => {
  it('raises renewal invoices for next year from 1 November to 31 December only', () => {
    expect(renewalYearOn('2026-10-31')).toBeNull();
    expect(renewalYearOn('2026-11-01')).toBe(2027);
    expect(renewalYearOn('2026-12-31')).toBe(2027);
    expect(renewalYearOn('2027-01-01')).toBeNull();
  });

  it('makes a renewal invoice due on the last day of the year before', () => {
    expect(renewalDueOn(2027)).toBe('2026-12-31');
  });

  it('lapses only after the last day of grace (60 days after 31 December is 1 March)', () => {
    expect(lastDayOfGrace('2026-12-31', 60)).toBe('2027-03-01');
    expect(isPastGrace('2026-12-31', 60, '2027-03-01')).toBe(false);
    expect(isPastGrace('2026-12-31', 60, '2027-03-02')).toBe(true);
    expect(isPastGrace('2026-12-31', 0, '2027-01-01')).toBe(true);
  });

  it('reminds 30, 7 and 0 days before year end, 30 days into grace and a week before it ends', () => {
    expect(reminderSchedule('2026-12-31', 60)).toEqual([
      { kind: 'before_30', on: '2026-12-01' },
      { kind: 'before_7', on: '2026-12-24' },
      { kind: 'day_0', on: '2026-12-31' },
      { kind: 'grace_30', on: '2027-01-30' },
      { kind: 'grace_last', on: '2027-02-22' },
    ]);
  });

  it('drops grace reminders that would fall outside a short grace period', () => {
    expect(reminderSchedule('2026-12-31', 0).map((r) => r.kind)).toEqual([
      'before_30',
      'before_7',
      'day_0',
    ]);
    expect(reminderSchedule('2026-12-31', 10).map((r) => r.kind)).toEqual([
      'before_30',
      'before_7',
      'day_0',
      'grace_last',
    ]);
  });

  it('picks the latest reminder whose day has come, and none once the membership has lapsed', () => {
    expect(reminderDueOn('2026-12-31', 60, '2026-11-30')).toBeNull();
    expect(reminderDueOn('2026-12-31', 60, '2026-12-01')).toBe('before_30');
    expect(reminderDueOn('2026-12-31', 60, '2026-12-23')).toBe('before_30');
    expect(reminderDueOn('2026-12-31', 60, '2026-12-24')).toBe('before_7');
    expect(reminderDueOn('2026-12-31', 60, '2026-12-31')).toBe('day_0');
    expect(reminderDueOn('2026-12-31', 60, '2027-01-30')).toBe('grace_30');
    expect(reminderDueOn('2026-12-31', 60, '2027-03-01')).toBe('grace_last');
    expect(reminderDueOn('2026-12-31', 60, '2027-03-02')).toBeNull();
  });
});
