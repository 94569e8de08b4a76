/** Longer `next` values are not followed: nothing on this site needs one. */
const MAX_NEXT_LENGTH = 512;
const PLACEHOLDER_ORIGIN = 'http://szifa.invalid';

/**
 * The page to return to after sign-in, or null. Only a path on this site is followed: it must
 * start with exactly one '/', and browsers read '\' as '/', so '//evil.example' and
 * '/\evil.example' (which leave the site) are refused, as is anything with control characters.
 */
export function safeNextPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NEXT_LENGTH)
    return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return null;
  return url.pathname + url.search + url.hash;
}
