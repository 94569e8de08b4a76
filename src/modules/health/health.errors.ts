import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type HealthErrorCode = 'DATABASE_UNAVAILABLE';

const SPECS: Record<HealthErrorCode, ErrorSpec> = {
  DATABASE_UNAVAILABLE: {
    status: 503,
    zh: '数据库暂时无法访问，本实例暂不接收请求。',
    en: 'The database cannot be reached; this instance is not ready for requests.',
  },
};

export class HealthError extends DomainError<HealthErrorCode> {
  constructor(code: HealthErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
