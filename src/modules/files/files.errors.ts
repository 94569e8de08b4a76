import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type FilesErrorCode = 'UNSUPPORTED_FILE_TYPE' | 'FILE_MISSING';

const SPECS: Record<FilesErrorCode, ErrorSpec> = {
  UNSUPPORTED_FILE_TYPE: {
    status: 415,
    zh: '文件格式不受支持：只接受 PDF、JPEG 或 PNG 文件（按文件内容判断，而非文件名）。',
    en: 'Unsupported file type: only PDF, JPEG or PNG files are accepted (judged by the content, not the name).',
  },
  FILE_MISSING: {
    status: 400,
    zh: '请选择要上传的文件。',
    en: 'Choose a file to upload.',
  },
};

export class FilesError extends DomainError<FilesErrorCode> {
  constructor(code: FilesErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
