import type { FieldError } from '../errors/domain-error.js';
import type { Locale } from '../i18n/i18n.js';

/** One line of the error summary; `field` null for a message about the whole form. */
export interface SummaryItem {
  field: string | null;
  message: string;
}

/**
 * What a form template needs to show errors: `errors.<field>` beside each input (every field
 * present, null when fine, because templates are strict) and `errorList` for the summary partial.
 */
export interface FormErrorsModel<F extends string> {
  errors: Record<F, string | null>;
  errorList: SummaryItem[];
}

export interface FormErrorsOptions<F extends string> {
  /** One message about the whole form (e.g. "wrong e-mail or password"), listed first. */
  formMessage?: string | null;
  /**
   * The field labels people see: validation messages name the DTO property ("email must be an
   * email"), which reads badly beside a field labelled 电子邮箱; the label replaces it.
   */
  labels?: Partial<Record<F, string>>;
}

/**
 * Builds the error model of a form from validation errors (validateForm) and options. Only the
 * first problem of each field is shown; errors on fields the form does not have (an unexpected
 * field) go to the summary alone.
 */
export function formErrors<F extends string>(
  locale: Locale,
  fields: readonly F[],
  fieldErrors: readonly FieldError[] = [],
  options: FormErrorsOptions<F> = {},
): FormErrorsModel<F> {
  const errors = Object.fromEntries(fields.map((f) => [f, null])) as Record<F, string | null>;
  const errorList: SummaryItem[] = [];
  if (options.formMessage) errorList.push({ field: null, message: options.formMessage });
  for (const error of fieldErrors) {
    const label = options.labels?.[error.field as F];
    const raw = error.message[locale];
    let message = raw;
    if (label && raw.startsWith(error.field)) {
      const rest = raw.slice(error.field.length);
      // "{field} 不能为空" has a space that only reads well after a Latin property name.
      message = label + (locale === 'zh-CN' ? rest.replace(/^ /, '') : rest);
    }
    if ((fields as readonly string[]).includes(error.field)) {
      const field = error.field as F;
      if (errors[field] !== null) continue;
      errors[field] = message;
      errorList.push({ field, message });
    } else {
      errorList.push({ field: null, message });
    }
  }
  // The summary follows the order of the form, whatever order the checks ran in.
  const rank = (item: SummaryItem): number =>
    item.field === null ? -1 : (fields as readonly string[]).indexOf(item.field);
  errorList.sort((a, b) => rank(a) - rank(b));
  return { errors, errorList };
}

/** A field error with the same message for one field, for rules a service enforces. */
export function fieldError(field: string, code: string, zh: string, en: string): FieldError {
  return { field, code, message: { 'zh-CN': zh, en } };
}
