/**
 * The association's round seal, drawn as vectors on every certificate: a red ring, a five-pointed
 * star, the association's name along the upper arc and the seal's purpose under the star. Never an
 * image: there is no scanned seal anywhere in the platform.
 */
export const SEAL_RED = '#d7000f';

export interface SealSpec {
  cx: number;
  cy: number;
  radius: number;
  /** Along the arc, e.g. 深圳市互联网金融协会. */
  arcText: string;
  /** Under the star, e.g. 证书专用章. */
  centerText: string;
  font: string;
}

function starPoints(cx: number, cy: number, outer: number): [number, number][] {
  const inner = outer * 0.382;
  const points: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const angle = (Math.PI / 5) * i - Math.PI / 2;
    points.push([cx + r * Math.cos(angle), cy + r * Math.sin(angle)]);
  }
  return points;
}

export function drawSeal(doc: PDFKit.PDFDocument, seal: SealSpec): void {
  const { cx, cy, radius } = seal;
  doc.save();
  doc.opacity(0.85);
  doc
    .lineWidth(radius * 0.05)
    .circle(cx, cy, radius * 0.95)
    .stroke(SEAL_RED);
  doc.polygon(...starPoints(cx, cy, radius * 0.3)).fill(SEAL_RED);

  const chars = [...seal.arcText];
  const size = radius * 0.2;
  const sweep = 250;
  const step = chars.length > 1 ? sweep / (chars.length - 1) : 0;
  doc.font(seal.font).fontSize(size).fillColor(SEAL_RED);
  chars.forEach((ch, i) => {
    const angle = -sweep / 2 + i * step;
    doc.save();
    doc.rotate(angle, { origin: [cx, cy] });
    const w = doc.widthOfString(ch);
    doc.text(ch, cx - w / 2, cy - radius * 0.82, { lineBreak: false });
    doc.restore();
  });

  const centerSize = radius * 0.16;
  doc.fontSize(centerSize);
  const w = doc.widthOfString(seal.centerText);
  doc.text(seal.centerText, cx - w / 2, cy + radius * 0.42, { lineBreak: false });
  doc.restore();
}
