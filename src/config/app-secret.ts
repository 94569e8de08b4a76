/** Injection token for the resolved application secret (see secrets.ts). */
export const APP_SECRET = Symbol('APP_SECRET');
