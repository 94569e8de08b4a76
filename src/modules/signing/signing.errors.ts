import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type SigningErrorCode = 'SIGNING_KEY_UNAVAILABLE';

const SPECS: Record<SigningErrorCode, ErrorSpec> = {
  SIGNING_KEY_UNAVAILABLE: {
    status: 500,
    zh: '协会签名密钥不可用。',
    en: "The association's signing key is unavailable.",
  },
};

export class SigningError extends DomainError<SigningErrorCode> {
  constructor(code: SigningErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
