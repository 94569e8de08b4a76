import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { GRADES, isGrade, type Grade } from './grades.js';

/**
 * A scorecard: indicators, each scored 0–100 points by its bands or choices and weighted (the
 * weights add up to 100), and grade thresholds on the 0–100 total. Kept as a JSON definition
 * on the scorecard version; this file validates it and scores values against it. Everything
 * here is pure and exact: points and weights are integers, so the total in hundredths of a point
 * is an integer and the same inputs always give the same score.
 */
export const INDICATOR_TYPES = ['number', 'percentage', 'boolean', 'choice'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** Where a value comes from: the firm's submission, or the platform's dispute records. */
export type IndicatorSource = 'firm' | 'disputes';

/** Statistics the platform fills from the disputes module for the cycle's period. */
export const DISPUTE_METRICS = ['complaints_per_10k', 'resolution_rate'] as const;
export type DisputeMetric = (typeof DISPUTE_METRICS)[number];

/** A value range with its points; bounds are inclusive, a missing bound is open. */
export interface Band {
  min: number | null;
  max: number | null;
  points: number;
}

export interface Choice {
  value: string;
  labelZh: string;
  labelEn: string;
  points: number;
}

export interface IndicatorDefinition {
  key: string;
  nameZh: string;
  nameEn: string;
  type: IndicatorType;
  /** Shown beside the field: 万元, %, 件, 户... */
  unit: string | null;
  /** Allowed range of a number or percentage (inclusive); a percentage is always within 0–100. */
  min: number | null;
  max: number | null;
  /** Whole numbers only (counts). */
  integer: boolean;
  /** Share of the total, 0–100; 0 for a value that only feeds another (e.g. customers). */
  weight: number;
  /** number / percentage: the first band containing the value gives the points. */
  bands: Band[];
  /** choice: the options and their points. */
  choices: Choice[];
  /** boolean: points for yes and for no. */
  yesPoints: number | null;
  noPoints: number | null;
  source: IndicatorSource;
  /** For source 'disputes': which statistic fills it. */
  metric: DisputeMetric | null;
  /** Explanation shown to the firm. */
  helpZh: string | null;
  helpEn: string | null;
}

export interface GradeThreshold {
  grade: Grade;
  /** Lowest total (0–100) that earns the grade. */
  minScore: number;
}

export interface ScorecardDefinition {
  indicators: IndicatorDefinition[];
  grades: GradeThreshold[];
}

/** A problem with a definition, for the staff editor: where and what. */
export interface DefinitionProblem {
  path: string;
  message: string;
}

const KEY = /^[a-z][a-z0-9_]{1,39}$/;
const points = (n: unknown): boolean =>
  Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 100;

/** Checks a definition staff wrote; an empty list means it can be saved. */
export function checkDefinition(definition: ScorecardDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (path: string, message: string): void => void problems.push({ path, message });
  if (!Array.isArray(definition.indicators) || definition.indicators.length === 0) {
    add('indicators', 'at least one indicator');
    return problems;
  }
  const keys = new Set<string>();
  let weights = 0;
  definition.indicators.forEach((ind, i) => {
    const at = `indicators[${i}]`;
    if (typeof ind.key !== 'string' || !KEY.test(ind.key))
      add(`${at}.key`, 'lower-case key, 2–40 characters');
    else if (keys.has(ind.key)) add(`${at}.key`, `duplicate key ${ind.key}`);
    else keys.add(ind.key);
    if (!ind.nameZh?.trim() || !ind.nameEn?.trim())
      add(`${at}.name`, 'names in Chinese and English');
    if (!(INDICATOR_TYPES as readonly string[]).includes(ind.type))
      add(`${at}.type`, 'unknown type');
    if (!Number.isInteger(ind.weight) || ind.weight < 0 || ind.weight > 100)
      add(`${at}.weight`, 'a whole number from 0 to 100');
    else weights += ind.weight;
    if (ind.source === 'disputes') {
      if (!ind.metric || !(DISPUTE_METRICS as readonly string[]).includes(ind.metric))
        add(`${at}.metric`, 'a dispute statistic');
    } else if (ind.source !== 'firm') add(`${at}.source`, "'firm' or 'disputes'");
    if (ind.type === 'number' || ind.type === 'percentage') {
      if (ind.min !== null && ind.max !== null && ind.min > ind.max)
        add(`${at}.min`, 'min above max');
      if (ind.weight > 0 && (!Array.isArray(ind.bands) || ind.bands.length === 0))
        add(`${at}.bands`, 'bands for a weighted number');
      (ind.bands ?? []).forEach((b, j) => {
        if (!points(b.points)) add(`${at}.bands[${j}].points`, 'whole points 0–100');
        if (b.min !== null && b.max !== null && b.min > b.max)
          add(`${at}.bands[${j}]`, 'min above max');
      });
    }
    if (ind.type === 'choice') {
      if (!Array.isArray(ind.choices) || ind.choices.length < 2)
        add(`${at}.choices`, 'two or more choices');
      (ind.choices ?? []).forEach((c, j) => {
        if (!points(c.points)) add(`${at}.choices[${j}].points`, 'whole points 0–100');
      });
    }
    if (ind.type === 'boolean' && (!points(ind.yesPoints) || !points(ind.noPoints)))
      add(`${at}.yesPoints`, 'whole points 0–100 for yes and no');
  });
  if (weights !== 100) add('indicators', `weights add up to ${weights}, not 100`);
  const grades = definition.grades ?? [];
  const seen = grades.map((g) => g.grade);
  if (grades.length !== GRADES.length || GRADES.some((g) => !seen.includes(g)))
    add('grades', `one threshold for each of ${GRADES.join(', ')}`);
  for (let i = 0; i < grades.length; i++) {
    const g = grades[i];
    if (!isGrade(g.grade) || typeof g.minScore !== 'number' || g.minScore < 0 || g.minScore > 100)
      add(`grades[${i}]`, 'a grade and a minimum score 0–100');
    if (i > 0 && GRADES.indexOf(g.grade) <= GRADES.indexOf(grades[i - 1].grade))
      add(`grades[${i}]`, 'grades in order, best first');
    if (i > 0 && g.minScore >= grades[i - 1].minScore)
      add(`grades[${i}].minScore`, 'lower than the grade above');
  }
  if (grades.length > 0 && grades[grades.length - 1].minScore !== 0)
    add('grades', 'the lowest grade starts at 0');
  return problems;
}

/** SHA-256 of the canonical JSON: shown with the version, and stored with each score. */
export function definitionFingerprint(definition: ScorecardDefinition): string {
  return createHash('sha256').update(canonicalJson(definition), 'utf8').digest('hex');
}

export type ValueProblem =
  'REQUIRED' | 'NOT_A_NUMBER' | 'OUT_OF_RANGE' | 'NOT_WHOLE' | 'NOT_A_CHOICE';

/**
 * Checks one value as the firm typed it (decimal text, 'yes'/'no', or a choice value). Returns
 * the problem, or null when it is acceptable. Numbers may have up to 4 decimals.
 */
export function checkValue(
  ind: IndicatorDefinition,
  raw: string | null | undefined,
): ValueProblem | null {
  const value = raw?.trim() ?? '';
  if (value === '') return 'REQUIRED';
  if (ind.type === 'boolean') return value === 'yes' || value === 'no' ? null : 'NOT_A_CHOICE';
  if (ind.type === 'choice')
    return ind.choices.some((c) => c.value === value) ? null : 'NOT_A_CHOICE';
  if (!/^-?\d{1,15}(\.\d{1,4})?$/.test(value)) return 'NOT_A_NUMBER';
  const n = Number(value);
  if (ind.integer && !Number.isInteger(n)) return 'NOT_WHOLE';
  const min = ind.type === 'percentage' ? Math.max(0, ind.min ?? 0) : ind.min;
  const max = ind.type === 'percentage' ? Math.min(100, ind.max ?? 100) : ind.max;
  if ((min !== null && n < min) || (max !== null && n > max)) return 'OUT_OF_RANGE';
  return null;
}

/** The points (0–100) a valid value earns on its indicator. */
export function pointsFor(ind: IndicatorDefinition, value: string): number {
  if (ind.type === 'boolean') return (value.trim() === 'yes' ? ind.yesPoints : ind.noPoints) ?? 0;
  if (ind.type === 'choice') return ind.choices.find((c) => c.value === value.trim())?.points ?? 0;
  const n = Number(value);
  const band = ind.bands.find(
    (b) => (b.min === null || n >= b.min) && (b.max === null || n <= b.max),
  );
  return band?.points ?? 0;
}

export interface ScoreLine {
  key: string;
  nameZh: string;
  nameEn: string;
  value: string;
  points: number;
  weight: number;
  /** points × weight: the line's share of the total, in hundredths of a point. */
  weightedHundredths: number;
  source: IndicatorSource;
}

export interface ScoreResult {
  /** The 0–100 total in hundredths of a point (8150 = 81.50): an integer, exactly. */
  scoreHundredths: number;
  grade: Grade;
  lines: ScoreLine[];
}

/** Grade of a total (hundredths) under the thresholds. */
export function gradeFor(definition: ScorecardDefinition, scoreHundredths: number): Grade {
  for (const t of definition.grades)
    if (scoreHundredths >= Math.round(t.minScore * 100)) return t.grade;
  return GRADES[GRADES.length - 1];
}

/**
 * Scores a complete, valid set of values (callers check with checkValue first; a value that is
 * missing or invalid here is a bug and throws).
 */
export function score(
  definition: ScorecardDefinition,
  values: Readonly<Record<string, string>>,
): ScoreResult {
  const lines = definition.indicators.map((ind): ScoreLine => {
    const value = values[ind.key];
    if (value === undefined || checkValue(ind, value) !== null)
      throw new RangeError(`no valid value for indicator ${ind.key}`);
    const pts = pointsFor(ind, value);
    return {
      key: ind.key,
      nameZh: ind.nameZh,
      nameEn: ind.nameEn,
      value: value.trim(),
      points: pts,
      weight: ind.weight,
      weightedHundredths: pts * ind.weight,
      source: ind.source,
    };
  });
  const scoreHundredths = lines.reduce((sum, l) => sum + l.weightedHundredths, 0);
  return { scoreHundredths, grade: gradeFor(definition, scoreHundredths), lines };
}

/** A value as people read it: 是/否 for yes/no, a choice's label, else the figure itself. */
export function valueLabels(ind: IndicatorDefinition, value: string): { zh: string; en: string } {
  const v = value.trim();
  if (ind.type === 'boolean')
    return v === 'yes'
      ? { zh: '是', en: 'Yes' }
      : v === 'no'
        ? { zh: '否', en: 'No' }
        : { zh: v, en: v };
  if (ind.type === 'choice') {
    const choice = ind.choices.find((c) => c.value === v);
    if (choice) return { zh: choice.labelZh, en: choice.labelEn };
  }
  return { zh: v, en: v };
}

/** 8150 → "81.50". */
export function formatScore(scoreHundredths: number): string {
  return `${Math.floor(scoreHundredths / 100)}.${String(scoreHundredths % 100).padStart(2, '0')}`;
}
