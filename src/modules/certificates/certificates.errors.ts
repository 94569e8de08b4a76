import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type CertificatesErrorCode =
  | 'CERTIFICATE_NOT_FOUND'
  | 'NOT_ELIGIBLE'
  | 'ALREADY_REVOKED'
  | 'REASON_REQUIRED'
  | 'KIND_INVALID'
  | 'FILE_MISSING'
  | 'NOT_A_PDF'
  | 'BATCH_NOT_FOUND';

const SPECS: Record<CertificatesErrorCode, ErrorSpec> = {
  CERTIFICATE_NOT_FOUND: {
    status: 404,
    zh: '未找到该证书。',
    en: 'The certificate was not found.',
  },
  NOT_ELIGIBLE: {
    status: 409,
    zh: '该记录目前不符合发证条件。',
    en: 'The record is not eligible for a certificate now.',
  },
  ALREADY_REVOKED: {
    status: 409,
    zh: '该证书已被撤销。',
    en: 'The certificate has already been revoked.',
  },
  REASON_REQUIRED: { status: 400, zh: '请填写撤销理由。', en: 'Give the reason for revoking.' },
  KIND_INVALID: {
    status: 400,
    zh: '证书类型无效（会员证书、自律公约签署证明或信用评级证书）。',
    en: 'Unknown certificate kind (membership, pledge or rating).',
  },
  FILE_MISSING: { status: 400, zh: '请选择要核验的 PDF 文件。', en: 'Choose the PDF to check.' },
  BATCH_NOT_FOUND: {
    status: 404,
    zh: '未找到该批量发证任务。',
    en: 'The bulk issuance batch was not found.',
  },
  NOT_A_PDF: {
    status: 415,
    zh: '只能核验 PDF 文件。',
    en: 'Only PDF files can be checked.',
  },
};

export class CertificatesError extends DomainError<CertificatesErrorCode> {
  constructor(code: CertificatesErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
