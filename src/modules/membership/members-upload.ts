import {
  Injectable,
  PayloadTooLargeException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import type { UploadedFileData } from '../files/uploaded-file.js';
import { IMPORT_MAX_BYTES } from './members-csv.js';
import { MembershipError } from './membership.errors.js';

/** The multipart field that carries the import file. */
export const IMPORT_FIELD = 'file';

const MultipartImport = FileInterceptor(IMPORT_FIELD, {
  limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 4 },
});

/**
 * Parses a multipart import upload (in memory, at most IMPORT_MAX_BYTES) and turns multer's
 * generic "too large" into the import's own error, which tells staff the limit and what to do.
 * Requests that are not multipart pass through untouched, their body still unread.
 */
@Injectable()
export class ImportUploadInterceptor implements NestInterceptor {
  private readonly multipart = new MultipartImport({});

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multipart.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException)
        throw new MembershipError('MEMBER_IMPORT_TOO_LARGE');
      throw error;
    }
  }
}

/** The uploaded import file multer left on the request, if any. */
export function uploadedImport(request: Request): UploadedFileData | undefined {
  return (request as Request & { file?: UploadedFileData }).file;
}

/**
 * The raw body of a `text/csv` request, at most IMPORT_MAX_BYTES. The JSON and form parsers
 * leave such a body unread, so it is still on the request stream.
 */
export async function readCsvBody(request: Request): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > IMPORT_MAX_BYTES) throw new MembershipError('MEMBER_IMPORT_TOO_LARGE');
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    // Past the limit the rest is read and dropped, so the client still gets its answer.
    if (size <= IMPORT_MAX_BYTES) parts.push(buffer);
  }
  if (size > IMPORT_MAX_BYTES) throw new MembershipError('MEMBER_IMPORT_TOO_LARGE');
  return Buffer.concat(parts);
}

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

/** Whether the request sends the file itself as its body (rather than as a multipart form). */
export function isCsvBody(request: Request): boolean {
  return typeof request.is(CSV_TYPES) === 'string';
}
