import type { AuthContext } from './common/auth/auth-context.js';

declare global {
  namespace Express {
    interface Request {
      auth?: AuthContext;
      requestId?: string;
      locale?: 'zh-CN' | 'en';
      /** Raw value of the CSRF cookie, set by the CSRF middleware. */
      csrfSeed?: string;
    }
  }
}

export {};
