import { StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
/**
 * The part of multer's file object the platform uses (multer ships no types). Uploads are kept
 * in memory (FilesModule sets no disk storage), so `buffer` holds the whole file.
 */
export interface UploadedFileData {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/**
 * A file name fit to show and to offer on download: no directories, no control characters,
 * at most 255 characters. Falls back to `fallback` when nothing is left.
 */
export function cleanFileName(name: string, fallback = 'file'): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (cleaned || fallback).slice(0, 255);
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/** The usual extension of a stored content type ('bin' for one the store does not know). */
export function extensionOf(contentType: string): string {
  return EXTENSIONS[contentType] ?? 'bin';
}

/** `name` with its extension replaced by the one the content has (a PNG called x.pdf → x.png). */
export function withExtension(name: string, extension: string): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const current = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const same = current === extension || (extension === 'jpg' && current === 'jpeg');
  return same ? name : `${stem}.${extension}`;
}

/**
 * A Content-Disposition header for a download: an ASCII fallback name and the real name in
 * RFC 5987 encoding, so Chinese names survive and no quote or newline breaks the header.
 */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Headers of every document download: never rendered inline, never re-typed by the browser. */
export function sendDocumentHeaders(
  res: Response,
  contentType: string,
  downloadName: string,
  length: number,
): void {
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Disposition', attachmentDisposition(downloadName));
  res.setHeader('Content-Length', String(length));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
}

/** A generated PDF as a download, for a route with `@Res({ passthrough: true })`. */
export function pdfDownload(res: Response, fileName: string, pdf: Buffer): StreamableFile {
  sendDocumentHeaders(res, 'application/pdf', fileName, pdf.length);
  return new StreamableFile(pdf);
}

/** A generated PDF as a download, written and ended here (page routes that own `res`). */
export function sendPdf(res: Response, fileName: string, pdf: Buffer): void {
  sendDocumentHeaders(res, 'application/pdf', fileName, pdf.length);
  res.end(pdf);
}
