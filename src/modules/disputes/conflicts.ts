import type { MediatorAffiliation } from './entities/mediator-affiliation.entity.js';

/** Ties that ended longer ago than this no longer stand in the way (issue 5 §4). */
export const CONFLICT_LOOKBACK_YEARS = 3;

/** The Beijing date from which an ended tie still counts: the same day three years earlier. */
export function conflictCutoff(today: string): string {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  let t = new Date(Date.UTC(year - CONFLICT_LOOKBACK_YEARS, month - 1, day));
  // 29 February three years back does not exist: take the last day of that February.
  if (t.getUTCMonth() !== month - 1)
    t = new Date(Date.UTC(year - CONFLICT_LOOKBACK_YEARS, month, 0));
  return t.toISOString().slice(0, 10);
}

/**
 * Does this declared affiliation bar the mediator from cases against its firm today? It does
 * unless it was removed, or it ended more than three years ago.
 */
export function affiliationConflicts(
  affiliation: Pick<MediatorAffiliation, 'removedAt' | 'endedOn'>,
  today: string,
): boolean {
  if (affiliation.removedAt !== null) return false;
  return affiliation.endedOn === null || affiliation.endedOn >= conflictCutoff(today);
}

/** Is any of these affiliations with `firmId` a conflict today? */
export function conflictsWithFirm(
  affiliations: ReadonlyArray<Pick<MediatorAffiliation, 'firmId' | 'removedAt' | 'endedOn'>>,
  firmId: string | null,
  today: string,
): boolean {
  if (firmId === null) return false;
  return affiliations.some((a) => a.firmId === firmId && affiliationConflicts(a, today));
}
