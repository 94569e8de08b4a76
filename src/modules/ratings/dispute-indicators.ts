import type { DisputeMetric, ScorecardDefinition } from './scorecard.js';

/** The indicator the complaints rate divides by (the firm's own figure). */
export const CUSTOMERS_KEY = 'customers';

/** The counts the platform's indicators are computed from (DisputeStatisticsService.forFirm). */
export interface DisputeCounts {
  /** Complaints filed against the firm in the cycle's period. */
  filed: number;
  /** Of those, accepted at triage. */
  accepted: number;
  /** Of those, settled, failed or withdrawn. */
  resolved: number;
}

/** Hundredths as decimal text: 1234 → "12.34", 5 → "0.05". */
function hundredthsText(h: number): string {
  return `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`;
}

/** part × scale ÷ whole in hundredths, rounded half up, with integers only (exact). */
function ratioHundredths(part: number, whole: number, scale: number): number {
  const num = BigInt(part) * BigInt(scale) * 100n;
  const den = BigInt(whole);
  return Number((num * 2n + den) / (den * 2n));
}

/**
 * complaints_per_10k = filed ÷ customers × 10 000, two decimals; null while the firm's customer
 * count is missing or not a whole number above zero (the firm's own value is refused then).
 */
export function complaintsPer10k(
  filed: number,
  customers: string | null | undefined,
): string | null {
  const text = customers?.trim() ?? '';
  if (!/^\d{1,12}$/.test(text) || Number(text) <= 0) return null;
  return hundredthsText(ratioHundredths(filed, Number(text), 10_000));
}

/**
 * resolution_rate = resolved ÷ accepted × 100, two decimals; 100 when nothing was accepted. A
 * complaint withdrawn before triage counts as resolved but not accepted, so the rate is capped
 * at 100.
 */
export function resolutionRate(resolved: number, accepted: number): string {
  if (accepted === 0) return '100.00';
  return hundredthsText(Math.min(10_000, ratioHundredths(resolved, accepted, 100)));
}

export function metricValue(
  metric: DisputeMetric,
  counts: DisputeCounts,
  firmValues: Readonly<Record<string, string>>,
): string | null {
  if (metric === 'complaints_per_10k')
    return complaintsPer10k(counts.filed, firmValues[CUSTOMERS_KEY]);
  return resolutionRate(counts.resolved, counts.accepted);
}

/**
 * The platform's values for the definition's dispute-source indicators, by key; a value that
 * cannot be computed yet (no customer count) is absent.
 */
export function platformValues(
  definition: ScorecardDefinition,
  counts: DisputeCounts,
  firmValues: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ind of definition.indicators) {
    if (ind.source !== 'disputes' || !ind.metric) continue;
    const value = metricValue(ind.metric, counts, firmValues);
    if (value !== null) out[ind.key] = value;
  }
  return out;
}
