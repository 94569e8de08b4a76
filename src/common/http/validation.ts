import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { FieldError } from '../errors/domain-error.js';

/** Chinese wording for class-validator constraints; `{field}` and `{arg}` are filled in. */
const ZH: Record<string, string> = {
  whitelistValidation: '不允许提交字段 {field}',
  isDefined: '{field} 为必填项',
  isNotEmpty: '{field} 不能为空',
  isString: '{field} 必须是文本',
  isEmail: '{field} 不是有效的电子邮箱地址',
  isInt: '{field} 必须是整数',
  isNumber: '{field} 必须是数字',
  isBoolean: '{field} 必须是 true 或 false',
  isIn: '{field} 的取值不在允许范围内',
  isEnum: '{field} 的取值不在允许范围内',
  isUUID: '{field} 必须是有效的 UUID',
  isDateString: '{field} 必须是 ISO 8601 日期时间',
  isISO8601: '{field} 必须是 ISO 8601 日期时间',
  isUrl: '{field} 必须是有效的网址',
  isArray: '{field} 必须是数组',
  min: '{field} 不能小于 {arg}',
  max: '{field} 不能大于 {arg}',
  minLength: '{field} 至少需要 {arg} 个字符',
  maxLength: '{field} 不能超过 {arg} 个字符',
  length: '{field} 的长度不符合要求',
  matches: '{field} 的格式不正确',
  isStrongPassword: '{field} 不够安全',
  nestedValidation: '{field} 的内容有误',
};

function zhMessage(constraint: string, field: string, english: string): string {
  const template = ZH[constraint];
  if (!template) return `${field} 的值无效（${english}）`;
  const arg = /(-?\d+)/.exec(english)?.[1] ?? '';
  return template.replaceAll('{field}', field).replaceAll('{arg}', arg);
}

/** Flattens class-validator's tree into one entry per failed constraint, with both languages. */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const [code, english] of Object.entries(error.constraints ?? {})) {
      // The property name is the client's own key: compared as text, never made a pattern.
      const rest = english.slice(error.property.length);
      const en = english.startsWith(error.property) && !/^\w/.test(rest) ? field + rest : english;
      out.push({ field, code, message: { 'zh-CN': zhMessage(code, field, en), en } });
    }
    if (error.children?.length) out.push(...toFieldErrors(error.children, field));
  }
  return out;
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
} as const;

/** Validates a plain object (e.g. a page form) against a DTO class, without throwing. */
export async function validateForm<T extends object>(
  dto: ClassConstructor<T>,
  body: unknown,
  options: { allow?: string[] } = {},
): Promise<{ value: T; errors: FieldError[] }> {
  const plain = { ...((body ?? {}) as Record<string, unknown>) };
  for (const key of ['_csrf', ...(options.allow ?? [])]) delete plain[key];
  const value = plainToInstance(dto, plain);
  const errors = toFieldErrors(await validate(value, VALIDATION_OPTIONS));
  return { value, errors };
}
