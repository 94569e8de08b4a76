import QRCode from 'qrcode';

/** Dark modules of a QR code, merged into horizontal runs: [row, firstColumn, length]. */
export interface QrRuns {
  size: number;
  runs: [number, number, number][];
}

export function qrRuns(text: string): QrRuns {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const runs: [number, number, number][] = [];
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let col = 0; col <= modules.size; col++) {
      const dark = col < modules.size && modules.get(row, col) === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push([row, start, col - start]);
        start = -1;
      }
    }
  }
  return { size: modules.size, runs };
}

/** Draws the QR code as vector rectangles (no image) with its quiet zone, `width` points wide. */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number) {
  const { size, runs } = qrRuns(text);
  const cell = width / (size + 8);
  const origin = { x: x + 4 * cell, y: y + 4 * cell };
  doc.save();
  doc.rect(x, y, width, width).fill('#ffffff');
  for (const [row, col, length] of runs) {
    doc.rect(origin.x + col * cell, origin.y + row * cell, length * cell, cell);
  }
  doc.fill('#000000');
  doc.restore();
}
