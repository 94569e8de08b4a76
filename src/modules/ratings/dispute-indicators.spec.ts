import { DEFAULT_SCORECARD } from './default-scorecard.js';
import { complaintsPer10k, platformValues, resolutionRate } from './dispute-indicators.js';

describe('dispute indicators', () => {
  it('computes complaints per 10,000 customers to two decimals, rounding half up', () => {
    expect(complaintsPer10k(3, '20000')).toBe('1.50');
    expect(complaintsPer10k(1, '30000')).toBe('0.33');
    expect(complaintsPer10k(2, '30000')).toBe('0.67');
    expect(complaintsPer10k(1, '80000')).toBe('0.13'); // 0.125 → 0.13
    expect(complaintsPer10k(0, '5000')).toBe('0.00');
    expect(complaintsPer10k(7, '1')).toBe('70000.00');
  });

  it('cannot compute the complaints rate without a whole customer count above zero', () => {
    expect(complaintsPer10k(1, '')).toBeNull();
    expect(complaintsPer10k(1, '0')).toBeNull();
    expect(complaintsPer10k(1, '12.5')).toBeNull();
    expect(complaintsPer10k(1, undefined)).toBeNull();
  });

  it('computes the resolution rate as resolved over accepted, 100 when none were accepted', () => {
    expect(resolutionRate(0, 0)).toBe('100.00');
    expect(resolutionRate(2, 3)).toBe('66.67');
    expect(resolutionRate(1, 3)).toBe('33.33');
    expect(resolutionRate(3, 3)).toBe('100.00');
    expect(resolutionRate(4, 3)).toBe('100.00');
  });

  it('fills only the dispute-source indicators of the scorecard', () => {
    const values = platformValues(
      DEFAULT_SCORECARD,
      { filed: 3, accepted: 2, resolved: 1 },
      { customers: '20000' },
    );
    expect(values).toEqual({ complaints_per_10k: '1.50', complaint_resolution_rate: '50.00' });
    expect(platformValues(DEFAULT_SCORECARD, { filed: 3, accepted: 0, resolved: 0 }, {})).toEqual({
      complaint_resolution_rate: '100.00',
    });
  });
});
