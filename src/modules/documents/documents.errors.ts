import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type DocumentsErrorCode = 'NOTHING_PAID' | 'DOCUMENT_NOT_FOUND';

const SPECS: Record<DocumentsErrorCode, ErrorSpec> = {
  NOTHING_PAID: {
    status: 409,
    zh: '该缴费通知单尚无到账款项，暂不能开具收据。',
    en: 'Nothing has been paid on this invoice yet, so there is no receipt.',
  },
  DOCUMENT_NOT_FOUND: {
    status: 404,
    zh: '未找到该文件。',
    en: 'The document was not found.',
  },
};

export class DocumentsError extends DomainError<DocumentsErrorCode> {
  constructor(code: DocumentsErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
