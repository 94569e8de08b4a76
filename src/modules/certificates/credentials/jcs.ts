import { canonicalJson } from '../../audit/canonical-json.js';

/**
 * RFC 8785 JSON Canonicalization Scheme, for the JSON values credentials are made of (objects,
 * arrays, strings, finite numbers, booleans, null). The audit trail's canonicalJson already is
 * RFC 8785 for these: keys sorted by `<` on JS strings, which compares UTF-16 code units as the
 * RFC asks; strings and numbers written by JSON.stringify, which is the ECMAScript form the RFC
 * adopts; no whitespace. It also accepts Dates and undefined, which a credential never holds.
 */
export function jcs(value: unknown): string {
  return canonicalJson(value);
}
