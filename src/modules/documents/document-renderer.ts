import { Injectable } from '@nestjs/common';
import PDFDocument from 'pdfkit';
import { isCalendarDate, startOfBeijingDate } from '../../common/time/beijing.js';
import { registerCertificateFonts } from '../certificates/pdf/certificate-fonts.js';
import { drawQr } from '../certificates/pdf/certificate-qr.js';
import { ASSOCIATION_NAME } from '../certificates/pdf/certificate-renderer.js';
import { SEAL_RED, drawSeal } from '../certificates/pdf/certificate-seal.js';
import type { DocumentFactsByKind, DocumentIssue, DocumentKind } from './document-facts.js';
import { buildDocumentLayout, type DocumentLine } from './document-layout.js';
import { collectPdf, zhDate } from '../certificates/pdf/pdf-output.js';

/** A4 portrait, in points. */
const PAGE = { width: 595.28, height: 841.89, margin: 50 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** Content stops here; the footer lives below. */
const CONTENT_BOTTOM = PAGE.height - PAGE.margin - 4;
const INK = '#1a1a1a';
const MUTED = '#666666';
const RULE = '#c9c9c9';
const SHADE = '#f2f2f2';
/** Height of the closing band: QR code on the left, sign-off and seal on the right. */
const CLOSING_HEIGHT = 104;
const QR_SIZE = 90;

/**
 * Renders the association's other documents (pledge signing receipt, dues invoice and receipt,
 * settlement agreement) as A4 portrait PDFs with the certificate renderer's parts: Noto Sans SC
 * embedded as subsets (text extracts), a vector QR code of the verification link and the drawn
 * seal. Long documents flow onto more pages; every page carries the footer and "page i / n".
 * Pure: facts in, bytes out; the same facts give the same bytes (CreationDate is the issue date,
 * the file ID is derived from the document info).
 */
@Injectable()
export class DocumentRenderer {
  async render<K extends DocumentKind>(
    kind: K,
    facts: DocumentFactsByKind[K],
    issue: DocumentIssue,
  ): Promise<Buffer> {
    if (!isCalendarDate(issue.issuedOn)) throw new Error('issuedOn must be YYYY-MM-DD');
    if (issue.number.trim() === '') throw new Error('a document needs a number');
    const layout = buildDocumentLayout(kind, {
      ...facts,
      association: ASSOCIATION_NAME,
      number: issue.number,
      verifyUrl: issue.verifyUrl,
      issuedOn: issue.issuedOn,
      issuedOnZh: zhDate(issue.issuedOn),
    });
    const doc = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margins: { top: PAGE.margin, left: PAGE.margin, right: PAGE.margin, bottom: 0 },
      compress: true,
      bufferPages: true,
      info: {
        Title: `${facts.holder.firmNameZh} ${issue.number}`,
        Author: ASSOCIATION_NAME.zh,
        Subject: issue.number,
        Keywords: issue.verifyUrl,
        Creator: 'SZIFA Platform',
        Producer: 'SZIFA Platform (PDFKit)',
        CreationDate: startOfBeijingDate(issue.issuedOn),
      },
    });
    const done = collectPdf(doc);
    registerCertificateFonts(doc);
    const blocks = new Map<string, string>(
      Object.entries(facts).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    new DocumentWriter(doc, issue.verifyUrl, blocks).draw(layout);
    doc.end();
    return done;
  }
}

/** Draws layout lines top to bottom, starting a new page when the next item does not fit. */
class DocumentWriter {
  private y = PAGE.margin;
  private widths: number[] = [];
  private closingTop: number | null = null;
  private footer = '';

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly verifyUrl: string,
    private readonly blocks: Map<string, string>,
  ) {}

  draw(layout: DocumentLine[]): void {
    this.rule(PAGE.margin - 14, SEAL_RED, 1.2);
    for (const line of layout) this.line(line);
    this.footers();
  }

  private ensure(height: number): void {
    if (this.y + height <= CONTENT_BOTTOM) return;
    this.doc.addPage();
    this.y = PAGE.margin;
    this.closingTop = null;
  }

  private rule(y: number, color: string, width: number): void {
    this.doc.save();
    this.doc
      .lineWidth(width)
      .moveTo(PAGE.margin, y)
      .lineTo(PAGE.width - PAGE.margin, y)
      .stroke(color);
    this.doc.restore();
  }

  private text(
    text: string,
    font: 'regular' | 'bold',
    size: number,
    color: string,
    x = PAGE.margin,
    width = CONTENT_WIDTH,
    align: 'left' | 'center' | 'right' = 'left',
  ): number {
    const doc = this.doc;
    doc.font(font).fontSize(size);
    const height = doc.heightOfString(text, { width, align });
    this.ensure(height);
    doc.fillColor(color).text(text, x, this.y, { width, align });
    this.y += height;
    return height;
  }

  private line(line: DocumentLine): void {
    switch (line.op) {
      case 'header':
        this.text(line.zh, 'bold', 15, SEAL_RED, PAGE.margin, CONTENT_WIDTH, 'center');
        this.text(line.en, 'regular', 8.5, MUTED, PAGE.margin, CONTENT_WIDTH, 'center');
        this.y += 12;
        return;
      case 'title':
        this.text(line.zh, 'bold', 22, INK, PAGE.margin, CONTENT_WIDTH, 'center');
        this.text(line.en, 'regular', 10.5, MUTED, PAGE.margin, CONTENT_WIDTH, 'center');
        this.y += 4;
        return;
      case 'subtitle':
        this.text(line.text, 'regular', 9.5, INK, PAGE.margin, CONTENT_WIDTH, 'center');
        this.y += 10;
        return;
      case 'section':
        this.section(line.zh, line.en);
        return;
      case 'field':
        this.field(line.labelZh, line.labelEn, line.value);
        return;
      case 'cols': {
        const total = line.widths.reduce((a, b) => a + b, 0) || 1;
        this.widths = line.widths.map((w) => (w / total) * CONTENT_WIDTH);
        return;
      }
      case 'th':
        this.row(line.cells, true);
        return;
      case 'td':
        this.row(line.cells, false);
        return;
      case 'block':
        this.block(line.name);
        return;
      case 'note':
        this.text(line.text, 'regular', 8.5, MUTED);
        this.y += 4;
        return;
      case 'gap':
        this.y += line.points;
        return;
      case 'qr':
        this.qr(line.caption);
        return;
      case 'signoff':
        this.signoff(line.zh, line.en);
        return;
      case 'seal':
        this.seal(line.text);
        return;
      case 'footer':
        this.footer = line.text;
        return;
    }
  }

  private section(zh: string, en: string): void {
    const doc = this.doc;
    this.ensure(40);
    this.y += 8;
    doc.font('bold').fontSize(11.5).fillColor(INK);
    doc.text(zh, PAGE.margin, this.y, { lineBreak: false });
    const zhWidth = doc.widthOfString(zh);
    doc.font('regular').fontSize(8.5).fillColor(MUTED);
    doc.text(en, PAGE.margin + zhWidth + 8, this.y + 3, { lineBreak: false });
    this.y += 18;
    this.rule(this.y, RULE, 0.6);
    this.y += 6;
  }

  private field(labelZh: string, labelEn: string, value: string): void {
    const doc = this.doc;
    const labelWidth = 150;
    const valueX = PAGE.margin + labelWidth + 10;
    const valueWidth = CONTENT_WIDTH - labelWidth - 10;
    doc.font('regular').fontSize(10.5);
    const height = Math.max(doc.heightOfString(value, { width: valueWidth }), 23);
    this.ensure(height + 3);
    const top = this.y;
    doc.font('regular').fontSize(10).fillColor(MUTED);
    doc.text(labelZh, PAGE.margin, top, { width: labelWidth, lineBreak: false });
    doc.fontSize(7).text(labelEn, PAGE.margin, top + 13, { width: labelWidth, lineBreak: false });
    doc.font('regular').fontSize(10.5).fillColor(INK);
    doc.text(value, valueX, top, { width: valueWidth });
    this.y = top + height + 3;
  }

  private row(cells: string[], head: boolean): void {
    const doc = this.doc;
    const pad = 4;
    const size = head ? 8.5 : 9.5;
    doc.font(head ? 'bold' : 'regular').fontSize(size);
    const height =
      Math.max(
        ...cells.map((cell, i) => doc.heightOfString(cell, { width: this.widths[i] - 2 * pad })),
      ) +
      2 * pad;
    this.ensure(height);
    const top = this.y;
    if (head) {
      doc.save();
      doc.rect(PAGE.margin, top, CONTENT_WIDTH, height).fill(SHADE);
      doc.restore();
    }
    let x = PAGE.margin;
    doc
      .font(head ? 'bold' : 'regular')
      .fontSize(size)
      .fillColor(head ? MUTED : INK);
    cells.forEach((cell, i) => {
      doc.text(cell, x + pad, top + pad, { width: this.widths[i] - 2 * pad });
      x += this.widths[i];
    });
    this.y = top + height;
    this.rule(this.y, RULE, 0.5);
  }

  /** A multi-line fact, line for line (blank lines kept), flowing onto new pages as needed. */
  private block(name: string): void {
    const text = this.blocks.get(name);
    if (text === undefined) throw new Error(`layout: no text fact "${name}" for block`);
    const doc = this.doc;
    doc.font('regular').fontSize(9.5);
    for (const raw of text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n')) {
      const line = raw === '' ? ' ' : raw;
      const height = doc.heightOfString(line, { width: CONTENT_WIDTH, lineGap: 2 });
      this.ensure(height);
      doc.font('regular').fontSize(9.5).fillColor(INK);
      doc.text(line, PAGE.margin, this.y, { width: CONTENT_WIDTH, lineGap: 2 });
      this.y += height;
    }
    this.y += 6;
  }

  /** The closing band (QR code, sign-off, seal) starts at the first of its parts. */
  private closing(): number {
    if (this.closingTop === null) {
      this.ensure(CLOSING_HEIGHT + 8);
      this.closingTop = this.y + 8;
      this.y = this.closingTop + CLOSING_HEIGHT;
    }
    return this.closingTop;
  }

  private qr(caption: string): void {
    const doc = this.doc;
    const top = this.closing();
    const x = PAGE.margin;
    drawQr(doc, this.verifyUrl, x, top, QR_SIZE);
    doc.font('regular').fontSize(8).fillColor(MUTED);
    doc.text(caption, x + QR_SIZE + 6, top + 22, { width: 150 });
    // The link on one line under the code (smaller type if it is long), so that it can be
    // copied from the text and is never split between the columns of the closing band.
    doc.fontSize(6.5);
    const size = Math.min(
      6.5,
      (6.5 * CONTENT_WIDTH) / Math.max(doc.widthOfString(this.verifyUrl), 1),
    );
    doc.fontSize(size).text(this.verifyUrl, x, top + QR_SIZE + 2, {
      width: CONTENT_WIDTH,
      lineBreak: false,
    });
  }

  private signoff(zh: string, en: string): void {
    const doc = this.doc;
    const top = this.closing();
    const x = PAGE.width - PAGE.margin - 200;
    doc.font('bold').fontSize(12).fillColor(INK);
    doc.text(zh, x, top + 36, { width: 200, align: 'center' });
    doc.font('regular').fontSize(8.5).fillColor(MUTED);
    doc.text(en, x, doc.y + 2, { width: 200, align: 'center' });
  }

  private seal(text: string): void {
    const top = this.closing();
    drawSeal(this.doc, {
      cx: PAGE.width - PAGE.margin - 58,
      cy: top + 48,
      radius: 46,
      arcText: ASSOCIATION_NAME.zh,
      centerText: text,
      font: 'bold',
    });
  }

  private footers(): void {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      this.rule(PAGE.height - PAGE.margin + 2, RULE, 0.5);
      doc.font('regular').fontSize(7).fillColor(MUTED);
      const page = `第 ${i + 1} / ${range.count} 页 · Page ${i + 1} of ${range.count}`;
      doc.text(this.footer, PAGE.margin, PAGE.height - PAGE.margin + 8, {
        width: CONTENT_WIDTH - 130,
        lineBreak: false,
      });
      doc.text(page, PAGE.width - PAGE.margin - 130, PAGE.height - PAGE.margin + 8, {
        width: 130,
        align: 'right',
        lineBreak: false,
      });
    }
  }
}
