import { Injectable } from '@nestjs/common';
import PDFDocument from 'pdfkit';
import { isCalendarDate, startOfBeijingDate } from '../../../common/time/beijing.js';
import {
  SERIAL_TYPES,
  type CertificateFactsByKind,
  type CertificateIssue,
  type CertificateKind,
} from './certificate-facts.js';
import { registerCertificateFonts } from './certificate-fonts.js';
import { buildLayout, type LayoutLine } from './certificate-layout.js';
import { drawQr } from './certificate-qr.js';
import { SEAL_RED, drawSeal } from './certificate-seal.js';
import { zhDate, collectPdf } from './pdf-output.js';

export const ASSOCIATION_NAME = {
  zh: '深圳市互联网金融协会',
  en: 'Shenzhen Internet Finance Association',
} as const;

/** A4 landscape, in points. */
const PAGE = { width: 841.89, height: 595.28, margin: 56 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const INK = '#1a1a1a';
const MUTED = '#666666';
const GOLD = '#b08d3c';

/** Where the QR code goes (points from the top-left corner), quiet zone included. */
export const QR_BOX = { x: PAGE.margin + 8, y: PAGE.height - PAGE.margin - 102, size: 96 } as const;

const SERIAL = /^SZIFA-(MEM|PLG|RAT)-(\d{4})-(\d{6})$/;

function checkIssue(kind: CertificateKind, issue: CertificateIssue): void {
  const match = SERIAL.exec(issue.serial);
  if (!match || match[1] !== SERIAL_TYPES[kind]) {
    throw new Error(`serial ${issue.serial} is not a ${kind} serial`);
  }
  if (!isCalendarDate(issue.issuedOn) || !isCalendarDate(issue.expiresOn)) {
    throw new Error('issuedOn and expiresOn must be calendar dates (YYYY-MM-DD)');
  }
}

/**
 * Renders certificates as PDF, offline: Noto Sans SC embedded as subsets (text extracts), a
 * vector QR code of the verification URL and a vector seal. Pure: no clock, no randomness, no
 * I/O but reading the templates and fonts once; the same input gives the same bytes (the PDF's
 * CreationDate is the issue date and its file ID is derived from the document info).
 */
@Injectable()
export class CertificateRenderer {
  async render<K extends CertificateKind>(
    kind: K,
    facts: CertificateFactsByKind[K],
    issue: CertificateIssue,
  ): Promise<Buffer> {
    checkIssue(kind, issue);
    const layout = buildLayout(kind, {
      ...facts,
      association: ASSOCIATION_NAME,
      serial: issue.serial,
      verifyUrl: issue.verifyUrl,
      issuedOn: issue.issuedOn,
      expiresOn: issue.expiresOn,
      issuedOnZh: zhDate(issue.issuedOn),
      expiresOnZh: zhDate(issue.expiresOn),
    });
    const doc = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margins: { top: PAGE.margin, left: PAGE.margin, right: PAGE.margin, bottom: 0 },
      compress: true,
      info: {
        Title: `${facts.holder.firmNameZh} ${issue.serial}`,
        Author: ASSOCIATION_NAME.zh,
        Subject: issue.serial,
        Keywords: issue.verifyUrl,
        Creator: 'SZIFA Platform',
        Producer: 'SZIFA Platform (PDFKit)',
        CreationDate: startOfBeijingDate(issue.issuedOn),
      },
    });
    const done = collectPdf(doc);
    registerCertificateFonts(doc);
    drawFrame(doc);
    new PageWriter(doc, issue.verifyUrl).draw(layout);
    doc.end();
    return done;
  }
}

function drawFrame(doc: PDFKit.PDFDocument): void {
  const inset = 22;
  doc.save();
  doc.lineWidth(2.5).rect(inset, inset, PAGE.width - 2 * inset, PAGE.height - 2 * inset);
  doc.stroke(GOLD);
  doc
    .lineWidth(0.8)
    .rect(inset + 6, inset + 6, PAGE.width - 2 * inset - 12, PAGE.height - 2 * inset - 12);
  doc.stroke(GOLD);
  doc.restore();
}

/** Draws layout lines top to bottom; qr, signoff, seal and footer go to fixed places at the bottom. */
class PageWriter {
  private y = PAGE.margin;
  private signoffRight = { x: PAGE.width - PAGE.margin - 210, y: PAGE.height - PAGE.margin - 66 };

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly verifyUrl: string,
  ) {}

  draw(layout: LayoutLine[]): void {
    for (const line of layout) this.line(line);
  }

  private centered(text: string, font: 'regular' | 'bold', size: number, color: string): void {
    this.doc.font(font).fontSize(size).fillColor(color);
    this.doc.text(text, PAGE.margin, this.y, { width: CONTENT_WIDTH, align: 'center' });
    this.y = this.doc.y;
  }

  private line(line: LayoutLine): void {
    const doc = this.doc;
    switch (line.op) {
      case 'header':
        this.centered(line.zh, 'bold', 18, SEAL_RED);
        this.centered(line.en, 'regular', 9, MUTED);
        this.y += 10;
        return;
      case 'title':
        this.centered(line.zh, 'bold', 30, INK);
        this.centered(line.en, 'regular', 11, MUTED);
        this.y += 8;
        return;
      case 'para':
        this.centered(line.text, 'regular', 13, INK);
        this.y += 4;
        return;
      case 'para-en':
        this.centered(line.text, 'regular', 9.5, MUTED);
        this.y += 8;
        return;
      case 'gap':
        this.y += line.points;
        return;
      case 'field':
        this.field(line.labelZh, line.labelEn, line.value);
        return;
      case 'qr':
        this.qr(line.caption);
        return;
      case 'signoff':
        this.signoff(line.zh, line.en);
        return;
      case 'seal':
        drawSeal(doc, {
          cx: this.signoffRight.x + 105,
          cy: this.signoffRight.y + 14,
          radius: 56,
          arcText: ASSOCIATION_NAME.zh,
          centerText: line.text,
          font: 'bold',
        });
        return;
      case 'footer':
        doc.font('regular').fontSize(7.5).fillColor(MUTED);
        doc.text(line.text, PAGE.margin, PAGE.height - PAGE.margin + 8, {
          width: CONTENT_WIDTH,
          align: 'center',
          lineBreak: false,
        });
        return;
    }
  }

  private field(labelZh: string, labelEn: string, value: string): void {
    const doc = this.doc;
    const labelX = PAGE.margin + 150;
    const valueX = labelX + 150;
    const valueWidth = CONTENT_WIDTH - (valueX - PAGE.margin) - 60;
    const top = this.y;
    doc.font('regular').fontSize(11).fillColor(MUTED);
    doc.text(labelZh, labelX, top, { width: 140, lineBreak: false });
    doc.fontSize(7.5).text(labelEn, labelX, top + 14, { width: 140, lineBreak: false });
    doc.font('bold').fontSize(12).fillColor(INK);
    doc.text(value, valueX, top, { width: valueWidth });
    this.y = Math.max(doc.y, top + 24) + 3;
  }

  private qr(caption: string): void {
    const doc = this.doc;
    const { x, y, size } = QR_BOX;
    drawQr(doc, this.verifyUrl, x, y, size);
    doc.font('regular').fontSize(8).fillColor(MUTED);
    doc.text(caption, x + size + 8, y + size - 34, { width: 200 });
    doc.fontSize(7).text(this.verifyUrl, x + size + 8, y + size - 12, {
      width: 230,
      lineBreak: false,
    });
  }

  private signoff(zh: string, en: string): void {
    const doc = this.doc;
    const { x, y } = this.signoffRight;
    doc.font('bold').fontSize(13).fillColor(INK);
    doc.text(zh, x, y, { width: 210, align: 'center' });
    doc.font('regular').fontSize(8.5).fillColor(MUTED);
    doc.text(en, x, doc.y + 2, { width: 210, align: 'center' });
  }
}
