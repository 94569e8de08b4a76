import type { EntityManager } from 'typeorm';
import { TransactionService } from '../../src/database/transaction.service.js';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import { base32Decode, hotp, TOTP_STEP_SECONDS } from '../../src/modules/auth/totp.js';
import { OutboxEmail } from '../../src/modules/notifications/entities/outbox-email.entity.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import type { TestApp } from './test-app.js';

/** Helpers for the account-flow tests: e-mails from the outbox, TOTP codes, a cookie-keeping browser. */

export async function emailsTo(
  t: TestApp,
  recipient: string,
  template?: string,
): Promise<OutboxEmail[]> {
  return t.dataSource.getRepository(OutboxEmail).find({
    where: template ? { recipient, template } : { recipient },
    order: { createdAt: 'ASC' },
  });
}

/** The newest e-mail of `template` to `recipient`; fails the test when there is none. */
export async function lastEmail(
  t: TestApp,
  recipient: string,
  template: string,
): Promise<OutboxEmail> {
  const all = await emailsTo(t, recipient, template);
  const last = all.at(-1);
  if (!last) throw new Error(`no ${template} e-mail to ${recipient}`);
  return last;
}

/** The token of the first `<PUBLIC_URL><path>?token=` link in an e-mail's text. */
export function tokenFromEmail(t: TestApp, email: OutboxEmail, path: string): string {
  const prefix = `${t.config.PUBLIC_URL}${path}?token=`;
  const start = email.textBody.indexOf(prefix);
  if (start < 0) throw new Error(`no ${path} link in e-mail: ${email.textBody}`);
  const match = /^[A-Za-z0-9_-]+/.exec(email.textBody.slice(start + prefix.length));
  if (!match) throw new Error('link without token');
  return match[0];
}

/** The TOTP code for the step `offset` steps from now. */
export function totpCode(secret: string, offset = 0): string {
  const step = Math.floor(Date.now() / 1000 / TOTP_STEP_SECONDS) + offset;
  return hotp(base32Decode(secret), step);
}

/** Six digits that are not valid for any step the server accepts now. */
export function wrongCode(secret: string): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((offset) => totpCode(secret, offset)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

export const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];

/** Enrols TOTP through the API for the token's user; returns the secret and recovery codes. */
export async function enrolTotp(
  t: TestApp,
  token: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await t.http
    .post('/api/v1/auth/mfa/totp/setup')
    .set(...bearer(token))
    .expect(200);
  const secret = (setup.body as { secret: string }).secret;
  // One step back, so that the next sign-in can use the current step's code.
  const enabled = await t.http
    .post('/api/v1/auth/mfa/totp/enable')
    .set(...bearer(token))
    .send({ code: totpCode(secret, -1) })
    .expect(200);
  return { secret, recoveryCodes: (enabled.body as { recoveryCodes: string[] }).recoveryCodes };
}

/** Signs in through the API and returns the token and its pending step. */
export async function signInApi(
  t: TestApp,
  user: { email: string; password: string },
): Promise<{ token: string; pendingStep: string | null }> {
  const res = await t.http
    .post('/api/v1/auth/token')
    .send({ email: user.email, password: user.password })
    .expect(200);
  const body = res.body as { accessToken: string; pendingStep: string | null };
  return { token: body.accessToken, pendingStep: body.pendingStep };
}

interface PageResponse {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A minimal browser: keeps cookies between requests and fills in the CSRF token of the last
 * page it loaded.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  private csrf = '';

  constructor(private readonly t: TestApp) {}

  /** Puts a web session for an existing user in this browser (as the sign-in page would). */
  async signInAs(user: { id: string }): Promise<string | null> {
    const found = await this.t.app.get(UsersService).findById(user.id);
    if (!found) throw new Error('no such user');
    const result = await this.t.app.get(AuthService).signIn(found, 'web', {});
    this.cookies.set('szifa_session', result.token);
    return result.pendingStep;
  }

  async get(path: string): Promise<PageResponse> {
    const res = await this.t.http
      .get(path)
      .set('Cookie', this.cookieHeader())
      .set('Accept', 'text/html');
    return this.remember(res);
  }

  /** Posts a form with the CSRF token of the last page loaded (unless `csrf: false`). */
  async post(
    path: string,
    form: Record<string, string>,
    options: { csrf?: boolean } = {},
  ): Promise<PageResponse> {
    const body = options.csrf === false ? form : { _csrf: this.csrf, ...form };
    const res = await this.t.http
      .post(path)
      .type('form')
      .set('Cookie', this.cookieHeader())
      .set('Accept', 'text/html')
      .send(body);
    return this.remember(res);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: {
    status: number;
    text: string;
    headers: Record<string, unknown>;
  }): PageResponse {
    const setCookie = res.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? (setCookie as string[]) : []) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.text ?? '');
    if (token) this.csrf = token[1];
    return res as PageResponse;
  }
}

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * A random valid unified social credit code: "91" (enterprise), a six-digit Shenzhen division
 * code, nine random organisation-code characters and the check character.
 */
export function validCreditCode(): string {
  let body = '91440300';
  while (body.length < 17) body += CREDIT_ALPHABET[Math.floor(Math.random() * 31)];
  const sum = [...body].reduce(
    (acc, ch, i) => acc + CREDIT_ALPHABET.indexOf(ch) * CREDIT_WEIGHTS[i],
    0,
  );
  return body + CREDIT_ALPHABET[(31 - (sum % 31)) % 31];
}

/** The code with one character (not the check character) replaced by another valid one. */
export function oneCharacterChanged(code: string, at = 10): string {
  const next = CREDIT_ALPHABET[(CREDIT_ALPHABET.indexOf(code[at]) + 1) % CREDIT_ALPHABET.length];
  return code.slice(0, at) + next + code.slice(at + 1);
}

/** A direct database change made by a test (moving the clock, simulating a lost key), in a transaction like every write. */
export function writeDb<T>(t: TestApp, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return t.app.get(TransactionService).run(work);
}
