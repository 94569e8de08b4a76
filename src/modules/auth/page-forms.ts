import type { Request } from 'express';
import type { FieldError } from '../../common/errors/domain-error.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { fieldError } from '../../common/views/form-errors.js';

/** Small helpers the account-flow page controllers share. */

export function localeOf(req: Request): Locale {
  return req.locale ?? 'zh-CN';
}

export function bodyOf(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

/** A submitted text value, cut to `max` characters; '' when absent or not text. */
export function text(value: unknown, max = 1000): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** A field error whose message comes from the catalogue in both languages. */
export function catalogueError(
  field: string,
  code: string,
  key: string,
  params: Record<string, unknown> = {},
): FieldError {
  return fieldError(field, code, translate('zh-CN', key, params), translate('en', key, params));
}

/**
 * "<label> is required" for each blank required field, then the validator's errors for the
 * other fields, with friendlier catalogue wording where `wording` has an entry for
 * `<field>.<constraint>` (`<field>.isNotEmpty` for a blank field).
 */
export function pageFieldErrors(
  body: Record<string, unknown>,
  required: readonly string[],
  labels: (locale: Locale) => Record<string, string>,
  validation: readonly FieldError[],
  wording: Record<string, string> = {},
): FieldError[] {
  const blank = required.filter((f) => text(body[f]).trim() === '');
  const out = blank.map((f) => {
    const key = wording[`${f}.isNotEmpty`];
    if (key) return catalogueError(f, 'isNotEmpty', key);
    return fieldError(
      f,
      'isNotEmpty',
      translate('zh-CN', 'register.error.required', { label: labels('zh-CN')[f] }),
      translate('en', 'register.error.required', { label: labels('en')[f] }),
    );
  });
  for (const error of validation) {
    if (blank.includes(error.field)) continue;
    const key = wording[`${error.field}.${error.code}`];
    out.push(key ? catalogueError(error.field, error.code, key) : error);
  }
  return out;
}

/** A service's refusal shown beside the field it is about. */
export function domainFieldError(
  field: string,
  error: { code: string; spec: { zh: string; en: string } },
): FieldError {
  return fieldError(field, error.code, error.spec.zh, error.spec.en);
}
