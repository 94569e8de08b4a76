import { createHash } from 'node:crypto';

/** The parts of a convention version that its fingerprint covers. */
export interface ConventionText {
  titleZh: string;
  titleEn: string | null;
  bodyZh: string;
  bodyEn: string | null;
}

/**
 * NFC, every line ending as \n, no trailing blanks on a line, no blank lines at either end.
 * Editors and browsers differ on exactly these points, so the same convention typed or pasted
 * twice must normalise to the same text.
 */
export function normaliseText(value: string): string {
  return value
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u3000]+$/u, ''))
    .join('\n')
    .replace(/^\n+/, '')
    .replace(/\n+$/, '');
}

/**
 * The exact text a fingerprint (and a signature) covers: each part under a fixed marker, in a
 * fixed order, an absent English part as an empty section, and exactly one trailing newline.
 * Changing this layout changes every fingerprint: never do it for published versions.
 */
export function canonicalText(version: ConventionText): string {
  const sections: Array<[string, string | null]> = [
    ['title.zh', version.titleZh],
    ['title.en', version.titleEn],
    ['body.zh', version.bodyZh],
    ['body.en', version.bodyEn],
  ];
  const text = sections
    .map(([marker, value]) => `[${marker}]\n${normaliseText(value ?? '')}`)
    .join('\n\n');
  return `${text}\n`;
}

/** sha256 (hex) of the UTF-8 canonical text. */
export function fingerprintOf(version: ConventionText): string {
  return createHash('sha256').update(canonicalText(version), 'utf8').digest('hex');
}
