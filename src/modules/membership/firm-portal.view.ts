import type { Request } from 'express';
import type { FieldError } from '../../common/errors/domain-error.js';
import { isMessageKey, translate, type Locale } from '../../common/i18n/i18n.js';
import { fieldError } from '../../common/views/form-errors.js';
import { CATEGORIES, CATEGORY_KEYS, isCategory } from './categories.js';
import { DISTRICTS, DISTRICT_KEYS, type District } from './districts.js';
import { formatFen } from './dues.js';
import type { FieldChange, RevisionView, StatusEventView } from './firm-profile.service.js';

/** Labels and view-model pieces of the firm portal pages (firm-portal.pages.controller.ts). */

export function localeOf(req: Request): Locale {
  return req.locale ?? 'zh-CN';
}

export function bodyOf(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

/** A submitted text value cut to `max` characters; '' when absent or not text. */
export function text(value: unknown, max = 1000): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** A submitted multi-value field (checkboxes) as a list of strings. */
export function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** '' (an emptied input) as null, so that validators see "not given" rather than "invalid". */
export function orNull(value: string): string | null {
  return value.trim() === '' ? null : value;
}

/** A catalogue entry when there is one, else the fallback (a code added later by someone). */
export function labelOr(locale: Locale, key: string, fallback: string): string {
  return isMessageKey(key) ? translate(locale, key) : fallback;
}

export function districtLabel(locale: Locale, district: string): string {
  const entry = Object.hasOwn(DISTRICTS, district) ? DISTRICTS[district as District] : null;
  return entry ? (locale === 'en' ? entry.en : entry.zh) : district;
}

export function categoryLabel(locale: Locale, category: string): string {
  if (!isCategory(category)) return category;
  return locale === 'en' ? CATEGORIES[category].en : CATEGORIES[category].zh;
}

export function statusLabel(locale: Locale, status: string): string {
  return labelOr(locale, `status.${status}`, status);
}

export function tierLabel(locale: Locale, tier: string | null): string | null {
  return tier ? labelOr(locale, `firm.tier.${tier}`, tier) : null;
}

export function roleLabel(locale: Locale, role: string): string {
  return labelOr(locale, `role.${role}`, role);
}

export function documentKindLabel(locale: Locale, kind: string): string {
  return labelOr(locale, `documents.kind.${kind}`, kind);
}

export function fieldLabel(locale: Locale, field: string): string {
  return labelOr(locale, `firm.field.${field}`, field);
}

/** What a completeness problem (FirmProfileService.completenessProblems) asks for. */
export function missingLabel(locale: Locale, code: string): string {
  if (code.startsWith('document.'))
    return documentKindLabel(locale, code.slice('document.'.length));
  return fieldLabel(locale, code);
}

/** 1536 → "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function districtOptions(
  locale: Locale,
  selected: string | null,
): Array<{ value: string; label: string; selected: boolean }> {
  return DISTRICT_KEYS.map((value) => ({
    value,
    label: districtLabel(locale, value),
    selected: value === selected,
  }));
}

export function categoryChoices(
  locale: Locale,
  checked: readonly string[],
): Array<{ value: string; label: string; checked: boolean }> {
  return CATEGORY_KEYS.map((value) => ({
    value,
    label: categoryLabel(locale, value),
    checked: checked.includes(value),
  }));
}

/**
 * A field error whose message comes from the catalogue in both languages, replacing a
 * validator's generic wording ("… has the wrong format") with what the person should do.
 */
export function catalogueError(field: string, code: string, key: string): FieldError {
  return fieldError(field, code, translate('zh-CN', key), translate('en', key));
}

/** Validator errors reworded where `wording` has `<field>.<constraint>` → catalogue key. */
export function reword(
  errors: readonly FieldError[],
  wording: Record<string, string>,
): FieldError[] {
  return errors.map((error) => {
    const key = wording[`${error.field}.${error.code}`];
    return key ? catalogueError(error.field, error.code, key) : error;
  });
}

export interface ChangeRow {
  label: string;
  from: string;
  to: string;
}

export interface HistoryRow {
  at: string;
  kindLabel: string;
  actorName: string | null;
  changes: ChangeRow[];
}

/** One value of a revision as people read it. */
function shownValue(
  locale: Locale,
  field: string,
  value: unknown,
  names: ReadonlyMap<string, string>,
): string {
  const none = translate(locale, 'firm.none');
  if (value === null || value === undefined || value === '') return none;
  if (field === 'registeredCapitalFen' && typeof value === 'number')
    return translate(locale, 'firm.yuan', { amount: formatFen(value) });
  if (field === 'district' && typeof value === 'string') return districtLabel(locale, value);
  if (field === 'categories' && Array.isArray(value))
    return value.length === 0
      ? none
      : value.map((c) => categoryLabel(locale, String(c))).join(locale === 'en' ? ', ' : '、');
  if (field === 'signatoryUserId' && typeof value === 'string') return names.get(value) ?? value;
  if (field === 'licence' && typeof value === 'object') {
    const l = value as Record<string, unknown>;
    return translate(locale, 'firm.licence.summary', {
      type: String(l.type),
      number: String(l.number),
      issuer: String(l.issuer),
      from: String(l.validFrom),
      to: typeof l.validTo === 'string' ? l.validTo : translate(locale, 'firm.licence.open'),
    });
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function historyRows(
  locale: Locale,
  revisions: readonly RevisionView[],
  names: ReadonlyMap<string, string>,
): HistoryRow[] {
  return revisions.map((revision) => ({
    at: revision.changedAt,
    kindLabel: labelOr(locale, `firm.history.kind.${revision.kind}`, revision.kind),
    actorName: revision.actorId ? (names.get(revision.actorId) ?? null) : null,
    changes: revision.changes.map((change: FieldChange) => ({
      label: fieldLabel(locale, change.field),
      from: shownValue(locale, change.field, change.from, names),
      to: shownValue(locale, change.field, change.to, names),
    })),
  }));
}

export function statusEventRows(locale: Locale, events: readonly StatusEventView[]): object[] {
  return events.map((event) => ({
    at: event.effectiveAt,
    status: event.status,
    statusLabel: statusLabel(locale, event.status),
    reasonLabel: event.reasonCategory
      ? labelOr(locale, `sanction.reason.${event.reasonCategory}`, event.reasonCategory)
      : null,
    reason: event.reason,
    decisionRef: event.decisionRef,
    until: event.until,
  }));
}
