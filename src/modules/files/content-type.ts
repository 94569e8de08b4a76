/**
 * Identifies an uploaded file by its first bytes, never by its name or the browser's claim.
 * Only the formats members may upload are recognised.
 */
export type AllowedType = 'application/pdf' | 'image/jpeg' | 'image/png';

const SIGNATURES: Array<{ type: AllowedType; bytes: number[]; extension: string }> = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], extension: 'pdf' }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], extension: 'png' },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff], extension: 'jpg' },
];

export function sniffContentType(
  head: Uint8Array,
): { type: AllowedType; extension: string } | null {
  for (const signature of SIGNATURES) {
    if (
      head.length >= signature.bytes.length &&
      signature.bytes.every((byte, i) => head[i] === byte)
    ) {
      return { type: signature.type, extension: signature.extension };
    }
  }
  return null;
}
