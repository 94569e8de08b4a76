import type { Request } from 'express';
import type { DomainError } from '../../common/errors/domain-error.js';
import { isMessageKey, translate, type Locale } from '../../common/i18n/i18n.js';
import type { ApplicationStep } from './entities/application-step.entity.js';
import { CATEGORIES, isCategory } from './categories.js';
import { DISTRICTS, type District } from './districts.js';

/** Small helpers the application and dues page controllers share. */

export function localeOf(req: Request): Locale {
  return req.locale ?? 'zh-CN';
}

export function bodyOf(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

/** A submitted text value, cut to `max` characters; '' when absent or not text. */
export function text(value: unknown, max = 2000): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** A catalogue entry when there is one, else the raw value (a code added by someone later). */
export function labelOr(locale: Locale, key: string, fallback: string): string {
  return isMessageKey(key) ? translate(locale, key) : fallback;
}

export function stateLabel(locale: Locale, state: string): string {
  return labelOr(locale, `application.state.${state}`, state);
}

export function actionLabel(locale: Locale, action: string): string {
  return labelOr(locale, `application.action.${action}`, action);
}

export function tierLabel(locale: Locale, tier: string | null): string {
  return tier ? labelOr(locale, `tier.name.${tier}`, tier) : '';
}

export function roleLabel(locale: Locale, role: string): string {
  return labelOr(locale, `role.${role}`, role);
}

export function districtLabel(locale: Locale, district: string): string {
  const entry = Object.hasOwn(DISTRICTS, district) ? DISTRICTS[district as District] : null;
  return entry ? (locale === 'en' ? entry.en : entry.zh) : district;
}

export function categoryLabel(locale: Locale, category: string): string {
  if (!isCategory(category)) return category;
  return locale === 'en' ? CATEGORIES[category].en : CATEGORIES[category].zh;
}

/** What a completeness problem code means to the person who has to fix it. */
export function problemLabel(locale: Locale, code: string): string {
  return labelOr(locale, `application.problem.${code}`, code);
}

/** The message of a refusal in the page's language. */
export function messageOf(locale: Locale, error: DomainError): string {
  return locale === 'en' ? error.spec.en : error.spec.zh;
}

/** A `<select>` option list. */
export function options(
  values: readonly string[],
  label: (value: string) => string,
  selected: string | null | undefined,
): Array<{ value: string; label: string; selected: boolean }> {
  return values.map((value) => ({ value, label: label(value), selected: value === selected }));
}

/** The history of an application as the pages show it. */
export function stepRows(locale: Locale, steps: ApplicationStep[]): object[] {
  return steps.map((step) => ({
    at: step.at.toISOString(),
    action: step.action,
    actionLabel: actionLabel(locale, step.action),
    fromLabel: stateLabel(locale, step.fromState),
    toLabel: stateLabel(locale, step.toState),
    actorRole: roleLabel(locale, step.actorRole),
    comment: step.comment,
  }));
}

/** A query string from the given parameters, blanks left out. */
export function withQuery(
  path: string,
  params: Record<string, string | number | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}
