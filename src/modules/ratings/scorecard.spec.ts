import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SCORECARD } from './default-scorecard.js';
import {
  checkDefinition,
  checkValue,
  definitionFingerprint,
  formatScore,
  score,
  type ScorecardDefinition,
} from './scorecard.js';

const indicator = (key: string) => DEFAULT_SCORECARD.indicators.find((i) => i.key === key)!;

/** A strong payment firm. */
const STRONG = {
  paid_in_capital: '120000', // ≥ 100,000 万元 → 100 × 10
  capital_adequacy: '16.5', // ≥ 15 → 100 × 10
  overdue_rate: '0.8', // ≤ 1 → 100 × 15
  bad_debt_rate: '0.3', // ≤ 0.5 → 100 × 10
  depository_custody: 'yes', // 100 × 15
  disclosure_completeness: '97', // ≥ 95 → 100 × 10
  compliance_incidents: '0', // 0 → 100 × 10
  customers: '2000000', // weight 0
  complaints_per_10k: '0.05', // ≤ 0.5 → 100 × 10
  complaint_resolution_rate: '100', // ≥ 95 → 100 × 10
};

describe('the default scorecard', () => {
  it('is a valid definition whose weights add up to 100', () => {
    expect(checkDefinition(DEFAULT_SCORECARD)).toEqual([]);
  });

  it('scores a firm that meets every top band 100.00, grade AAA', () => {
    const result = score(DEFAULT_SCORECARD, STRONG);
    expect(result.scoreHundredths).toBe(10_000);
    expect(result.grade).toBe('AAA');
  });

  it('scores a middling lender by hand: 72.00, grade A', () => {
    const values = {
      paid_in_capital: '30000', // ≥ 10,000 → 60 × 10 = 600
      capital_adequacy: '11', // ≥ 10 → 60 × 10 = 600
      overdue_rate: '2.5', // ≤ 3 → 80 × 15 = 1200
      bad_debt_rate: '1.5', // ≤ 2 → 60 × 10 = 600
      depository_custody: 'yes', // 100 × 15 = 1500
      disclosure_completeness: '88', // ≥ 85 → 80 × 10 = 800
      compliance_incidents: '1', // ≤ 1 → 70 × 10 = 700
      customers: '50000',
      complaints_per_10k: '2', // ≤ 3 → 60 × 10 = 600
      complaint_resolution_rate: '80', // < 85, ≥ 70 → 60 × 10 = 600
    };
    // 600 + 600 + 1200 + 600 + 1500 + 800 + 700 + 0 + 600 + 600 = 7200 → 72.00, A (≥ 70)
    const result = score(DEFAULT_SCORECARD, values);
    const byKey = Object.fromEntries(result.lines.map((l) => [l.key, l.weightedHundredths]));
    expect(byKey).toEqual({
      paid_in_capital: 600,
      capital_adequacy: 600,
      overdue_rate: 1200,
      bad_debt_rate: 600,
      depository_custody: 1500,
      disclosure_completeness: 800,
      compliance_incidents: 700,
      customers: 0,
      complaints_per_10k: 600,
      complaint_resolution_rate: 600,
    });
    expect(result.scoreHundredths).toBe(7200);
    expect(formatScore(result.scoreHundredths)).toBe('72.00');
    expect(result.grade).toBe('A');
  });

  it('scores a weak platform by hand: 20.00, grade CC', () => {
    const values = {
      paid_in_capital: '3000', // < 5,000 → 20 × 10 = 200
      capital_adequacy: '5', // < 8 → 0
      overdue_rate: '12', // > 10 → 0
      bad_debt_rate: '6', // > 5 → 0
      depository_custody: 'no', // 0
      disclosure_completeness: '60', // ≥ 50 → 30 × 10 = 300
      compliance_incidents: '2', // ≤ 3 → 40 × 10 = 400
      customers: '8000',
      complaints_per_10k: '4', // ≤ 5 → 30 × 10 = 300
      complaint_resolution_rate: '90', // ≥ 85 → 80 × 10 = 800
    };
    // 200 + 0 + 0 + 0 + 0 + 300 + 400 + 300 + 800 = 2000 → 20.00 → CC (≥ 20)
    const result = score(DEFAULT_SCORECARD, values);
    expect(result.scoreHundredths).toBe(2000);
    expect(result.grade).toBe('CC');
  });

  it('puts a value on a band boundary in the better band (bounds are inclusive)', () => {
    const values = { ...STRONG, overdue_rate: '1', capital_adequacy: '15' };
    expect(score(DEFAULT_SCORECARD, values).scoreHundredths).toBe(10_000);
    const worse = { ...STRONG, overdue_rate: '1.0001' }; // ≤ 3 → 80 × 15 = 1200, not 1500
    expect(score(DEFAULT_SCORECARD, worse).scoreHundredths).toBe(10_000 - 300);
  });

  it('gives the same score for the same inputs, every time', () => {
    const first = score(DEFAULT_SCORECARD, STRONG);
    for (let i = 0; i < 5; i++) expect(score(DEFAULT_SCORECARD, { ...STRONG })).toEqual(first);
  });

  it('refuses out-of-range and missing values per indicator', () => {
    expect(checkValue(indicator('overdue_rate'), '101')).toBe('OUT_OF_RANGE');
    expect(checkValue(indicator('overdue_rate'), '-1')).toBe('OUT_OF_RANGE');
    expect(checkValue(indicator('paid_in_capital'), '-5')).toBe('OUT_OF_RANGE');
    expect(checkValue(indicator('customers'), '0')).toBe('OUT_OF_RANGE');
    expect(checkValue(indicator('compliance_incidents'), '1.5')).toBe('NOT_WHOLE');
    expect(checkValue(indicator('capital_adequacy'), 'abc')).toBe('NOT_A_NUMBER');
    expect(checkValue(indicator('capital_adequacy'), '1e3')).toBe('NOT_A_NUMBER');
    expect(checkValue(indicator('depository_custody'), 'maybe')).toBe('NOT_A_CHOICE');
    expect(checkValue(indicator('overdue_rate'), '')).toBe('REQUIRED');
    expect(checkValue(indicator('overdue_rate'), undefined)).toBe('REQUIRED');
    expect(checkValue(indicator('overdue_rate'), '2.5')).toBeNull();
    expect(() => score(DEFAULT_SCORECARD, { ...STRONG, overdue_rate: '' })).toThrow(RangeError);
  });

  it('names what is wrong with a definition staff wrote', () => {
    const broken: ScorecardDefinition = JSON.parse(
      JSON.stringify(DEFAULT_SCORECARD),
    ) as ScorecardDefinition;
    broken.indicators[0].weight = 20; // weights now add up to 110
    broken.indicators[1].key = broken.indicators[0].key;
    broken.grades = broken.grades.slice(1);
    const paths = checkDefinition(broken).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['indicators', 'indicators[1].key', 'grades']));
  });

  it('fingerprints the definition, so an edited copy is told apart', () => {
    const copy = JSON.parse(JSON.stringify(DEFAULT_SCORECARD)) as ScorecardDefinition;
    expect(definitionFingerprint(copy)).toBe(definitionFingerprint(DEFAULT_SCORECARD));
    copy.grades[0].minScore = 91;
    expect(definitionFingerprint(copy)).not.toBe(definitionFingerprint(DEFAULT_SCORECARD));
  });
});
