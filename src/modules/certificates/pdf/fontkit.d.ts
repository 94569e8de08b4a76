/**
 * fontkit (PDFKit's own font engine, installed with it) has no published types. The renderer only
 * parses a font once and hands the parsed font back to PDFKit, so an opaque type is enough.
 */
declare module 'fontkit' {
  export interface Font {
    readonly postscriptName: string;
    layout(text: string): unknown;
  }
  export function create(data: Uint8Array, postscriptName?: string): Font;
}
