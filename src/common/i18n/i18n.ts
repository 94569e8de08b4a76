import { en } from './en.js';
import { zhCN, type MessageKey } from './zh-CN.js';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_COOKIE = 'szifa_lang';

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

/** Looks a message up and fills `{name}` placeholders. Unknown keys throw: they are bugs. */
export function translate(
  locale: Locale,
  key: string,
  params: Record<string, unknown> = {},
): string {
  if (!isMessageKey(key)) throw new Error(`Unknown message key: ${key}`);
  const template = CATALOGUES[locale][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function parseLocale(value: unknown): Locale | undefined {
  if (value === 'en' || value === 'en-US' || value === 'en-GB') return 'en';
  if (value === 'zh' || value === 'zh-CN' || value === 'zh-Hans') return 'zh-CN';
  return undefined;
}
