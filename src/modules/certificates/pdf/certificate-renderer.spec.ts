import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CERTIFICATE_KINDS, type CertificateKind } from './certificate-facts.js';
import { ASSOCIATION_NAME, CertificateRenderer, QR_BOX } from './certificate-renderer.js';
import { SAMPLE_HOLDER, sampleFacts, sampleIssue } from './certificate-samples.js';

const renderer = new CertificateRenderer();
const work = mkdtempSync(join(tmpdir(), 'szifa-cert-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let fileNo = 0;
/** Runs a poppler tool on the PDF and returns its stdout (as text, or raw for images). */
function poppler(tool: string, pdf: Buffer, args: string[] = []): Buffer {
  const file = join(work, `doc-${fileNo++}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])]);
}
const textOf = (pdf: Buffer) => poppler('pdftotext', pdf).toString('utf8');
const squeezed = (text: string) => text.replace(/\s+/g, '');

function render(kind: CertificateKind, holder = SAMPLE_HOLDER, seq = 1): Promise<Buffer> {
  const facts = sampleFacts(holder);
  switch (kind) {
    case 'membership':
      return renderer.render(kind, facts.membership, sampleIssue(kind, seq));
    case 'pledge':
      return renderer.render(kind, facts.pledge, sampleIssue(kind, seq));
    case 'rating':
      return renderer.render(kind, facts.rating, sampleIssue(kind, seq));
  }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe.each(CERTIFICATE_KINDS)('a %s certificate', (kind) => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await render(kind);
  });

  it('gives back the holder, serial, dates and association as text', () => {
    const text = squeezed(textOf(pdf));
    for (const expected of [
      SAMPLE_HOLDER.firmNameZh,
      SAMPLE_HOLDER.creditCode,
      sampleIssue(kind).serial,
      ASSOCIATION_NAME.zh,
      squeezed(ASSOCIATION_NAME.en),
      '2026年1月5日至2026年12月31日',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('embeds its Chinese fonts as subsets', () => {
    const rows = poppler('pdffonts', pdf).toString('utf8').trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatch(/^[A-Z]{6}\+NotoSansSC-\S+\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    }
  });

  it('is one page with no raster images: QR code and seal are drawn as vectors', () => {
    expect(poppler('pdfinfo', pdf).toString('utf8')).toMatch(/^Pages:\s+1$/m);
    const images = poppler('pdfimages', pdf, ['-list']).toString('utf8').trim().split('\n');
    expect(images.slice(2)).toEqual([]);
  });

  it('gives the same bytes for the same input, and other bytes for another serial', async () => {
    expect(sha256(await render(kind))).toBe(sha256(pdf));
    expect(sha256(await render(kind, SAMPLE_HOLDER, 2))).not.toBe(sha256(pdf));
  });
});

describe('certificate content', () => {
  it('draws a hostile holder name literally, without filling or adding layout lines', async () => {
    const hostile = {
      firmNameZh: '<script>alert(1)</script>{{x}}公司',
      firmNameEn: 'Evil & Co. {{{raw}}} | field | 伪造 | Fake | x\nfield | 伪造 | Fake | y',
      creditCode: '91440300MA5FXXXX1K',
    };
    const text = squeezed(textOf(await render('membership', hostile)));
    expect(text).toContain('<script>alert(1)</script>{{x}}公司');
    expect(text).toContain(
      squeezed('Evil & Co. {{{raw}}} | field | 伪造 | Fake | x field | 伪造 | Fake | y'),
    );
    expect(text).not.toContain('伪造Fakey伪造');
  });

  it('leaves the English name line out when the firm has none', async () => {
    const text = textOf(await render('rating', { ...SAMPLE_HOLDER, firmNameEn: null }));
    expect(text).not.toContain('Name in English');
    expect(text).toContain('the firm named below');
  });

  it('draws a QR code whose modules are those of the verification URL', async () => {
    const kind = 'pledge';
    const pdf = await render(kind);
    const dpi = 288;
    const scale = dpi / 72;
    const crop = { x: Math.floor(QR_BOX.x * scale), y: Math.floor(QR_BOX.y * scale) };
    const side = String(Math.ceil(QR_BOX.size * scale) + 2);
    const pgm = poppler('pdftoppm', pdf, [
      ...['-gray', '-r', String(dpi), '-x', String(crop.x), '-y', String(crop.y)],
      ...['-W', side, '-H', side],
    ]);
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40));
    if (!header) throw new Error('pdftoppm did not give a PGM');
    const width = Number(header[1]);
    const pixels = pgm.subarray(header[0].length);
    const { modules } = QRCode.create(sampleIssue(kind).verifyUrl, { errorCorrectionLevel: 'M' });
    const cell = QR_BOX.size / (modules.size + 8);
    let mismatches = 0;
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        const px = Math.round((QR_BOX.x + (col + 4.5) * cell) * scale) - crop.x;
        const py = Math.round((QR_BOX.y + (row + 4.5) * cell) * scale) - crop.y;
        const dark = pixels[py * width + px] < 128;
        if (dark !== (modules.get(row, col) === 1)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('refuses a serial of another kind', async () => {
    await expect(
      renderer.render('rating', sampleFacts().rating, sampleIssue('membership')),
    ).rejects.toThrow('not a rating serial');
  });

  it('refuses facts the template needs but lacks (strict template)', async () => {
    const { holder, membershipYear } = sampleFacts().membership;
    const incomplete = { holder, membershipYear } as unknown as ReturnType<
      typeof sampleFacts
    >['membership'];
    await expect(
      renderer.render('membership', incomplete, sampleIssue('membership')),
    ).rejects.toThrow(/memberNo/);
  });

  it('keeps no memory from one page to the next (fonts and templates are the only cache)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const used = () => {
      gc();
      const { heapUsed, external } = process.memoryUsage();
      return heapUsed + external;
    };
    await render('membership');
    const before = used();
    for (let seq = 1; seq <= 20; seq++) await render('membership', SAMPLE_HOLDER, seq);
    expect(used() - before).toBeLessThan(8 * 1024 * 1024);
  });
});
