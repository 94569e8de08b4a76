import { describe, expect, it } from '@jest/globals';
import {
  decodeSignatoryCursor,
  encodeSignatoryCursor,
  publicStatus,
  staffStatus,
} from './signatory-list.service.js';

const at = new Date('2026-11-01T02:00:00Z');

describe('public signatory status', () => {
  it('shows a signature of the version in force as signed', () => {
    expect(publicStatus({ state: 'signed', signedAt: at, endedReason: null }, false)).toBe(
      'signed',
    );
  });

  it('shows a signature as superseded once a later version is in force', () => {
    expect(publicStatus({ state: 'signed', signedAt: at, endedReason: null }, true)).toBe(
      'superseded',
    );
  });

  it('shows an ended membership as ended by withdrawal or expulsion, signed or not', () => {
    expect(publicStatus({ state: 'ended', signedAt: at, endedReason: 'expelled' }, false)).toBe(
      'expelled',
    );
    expect(publicStatus({ state: 'ended', signedAt: null, endedReason: 'withdrawn' }, true)).toBe(
      'withdrawn',
    );
  });

  it('lists pending and overdue firms as not yet signed', () => {
    for (const state of ['pending', 'overdue'])
      expect(publicStatus({ state, signedAt: null, endedReason: null }, false)).toBe('not_signed');
  });
});

describe('staff signing status', () => {
  it('counts a pending obligation past its deadline as overdue before the daily job runs', () => {
    expect(staffStatus({ state: 'pending', deadlineOn: '2026-11-26' }, '2026-11-27')).toBe(
      'overdue',
    );
  });

  it('keeps a pending obligation pending up to and including its deadline', () => {
    expect(staffStatus({ state: 'pending', deadlineOn: '2026-11-27' }, '2026-11-27')).toBe(
      'pending',
    );
  });

  it('reports signed, overdue and ended obligations as they are', () => {
    for (const state of ['signed', 'overdue', 'ended'] as const)
      expect(staffStatus({ state, deadlineOn: '2099-01-01' }, '2026-11-27')).toBe(state);
  });
});

describe('signatory list cursor', () => {
  it('round-trips the last name and id of a page', () => {
    const key = { name: '深圳市甲公司', id: '0f6b3c1e-2a4d-4e8f-9b7a-1c2d3e4f5a6b' };
    expect(decodeSignatoryCursor(encodeSignatoryCursor(key))).toEqual(key);
  });

  it('refuses a cursor it did not make', () => {
    for (const forged of [
      'not-base64-json',
      Buffer.from('["a","not-a-uuid"]').toString('base64url'),
    ])
      expect(() => decodeSignatoryCursor(forged)).toThrow('SIGNATORY_CURSOR_INVALID');
  });
});
