import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { create, type Font } from 'fontkit';

/**
 * Noto Sans SC (SIL Open Font License) from @expo-google-fonts/noto-sans-sc: plain TrueType files,
 * which PDFKit subsets (only the glyphs used are embedded) and maps to Unicode, so the text
 * extracts.
 *
 * Each 10 MB file is read and parsed once per process and the parsed font is handed to every
 * document: parsing it per document (what `registerFont(name, buffer)` does) costs ~10 ms per font
 * and page, two thirds of the page's time. Each document still makes its own subset, so the
 * output is the same bytes either way (measured; see docs/certificates.md).
 */
const FONT_DIR = resolve(process.cwd(), 'node_modules/@expo-google-fonts/noto-sans-sc');

export const CERTIFICATE_FONTS = {
  regular: resolve(FONT_DIR, '400Regular/NotoSansSC_400Regular.ttf'),
  bold: resolve(FONT_DIR, '700Bold/NotoSansSC_700Bold.ttf'),
} as const;

export type FontName = keyof typeof CERTIFICATE_FONTS;

const parsed = new Map<FontName, Font>();

export function certificateFont(name: FontName): Font {
  let font = parsed.get(name);
  if (!font) {
    font = create(readFileSync(CERTIFICATE_FONTS[name]));
    parsed.set(name, font);
  }
  return font;
}

/** Registers the certificate fonts on a document as 'regular' and 'bold'. */
export function registerCertificateFonts(doc: PDFKit.PDFDocument): void {
  for (const name of Object.keys(CERTIFICATE_FONTS) as FontName[]) {
    // PDFKit accepts a parsed fontkit font (it checks for `layout`); its typings list only sources.
    doc.registerFont(name, certificateFont(name) as unknown as Buffer);
  }
}
