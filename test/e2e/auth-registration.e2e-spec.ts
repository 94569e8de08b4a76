import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { User } from '../../src/modules/users/entities/user.entity.js';
import { createUser, DEFAULT_PASSWORD } from '../factories/index.js';
import {
  emailsTo,
  lastEmail,
  oneCharacterChanged,
  tokenFromEmail,
  validCreditCode,
} from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let n = 0;
const email = (what: string): string => `${what}.${Date.now().toString(36)}${n++}@example.cn`;

describe('Registration API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const firmBody = (overrides: Record<string, unknown> = {}) => ({
    firmName: '深圳市注册测试金融科技有限公司',
    firmNameEn: 'Shenzhen Registration Test Fintech Co., Ltd.',
    creditCode: validCreditCode(),
    district: 'nanshan',
    email: email('firm.admin'),
    name: '韩梅梅',
    password: DEFAULT_PASSWORD,
    ...overrides,
  });

  it('registers a complainant, unverified, with a verification e-mail and an audit event', async () => {
    const address = email('complainant');
    const res = await t.http
      .post('/api/v1/auth/register/complainant')
      .send({ email: address, name: '李雷', password: DEFAULT_PASSWORD })
      .expect(201);
    expect(res.body.user).toEqual(
      expect.objectContaining({
        email: address,
        name: '李雷',
        role: 'complainant',
        firmId: null,
        emailVerified: false,
      }),
    );
    const mail = await lastEmail(t, address, 'verify-email');
    expect(mail.status).toBe('kept');
    expect(mail.locale).toBe('zh-CN');
    expect(tokenFromEmail(t, mail, '/verify-email')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mail.textBody).not.toContain(DEFAULT_PASSWORD);
    const events = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ subjectId: res.body.user.id, action: 'user.registered' });
    expect(events).toHaveLength(1);
    expect(events[0].summary).not.toContain(DEFAULT_PASSWORD);
  });

  it('writes the verification e-mail in the language asked for', async () => {
    const address = email('english');
    await t.http
      .post('/api/v1/auth/register/complainant')
      .send({ email: address, name: 'Li Lei', password: DEFAULT_PASSWORD, locale: 'en' })
      .expect(201);
    const mail = await lastEmail(t, address, 'verify-email');
    expect(mail.locale).toBe('en');
    expect(mail.subject).toContain('Verify your e-mail address');
  });

  it('refuses a second account with the same e-mail, whatever its case', async () => {
    const address = email('dup');
    await t.http
      .post('/api/v1/auth/register/complainant')
      .send({ email: address, name: '甲', password: DEFAULT_PASSWORD })
      .expect(201);
    const res = await t.http
      .post('/api/v1/auth/register/complainant')
      .send({ email: address.toUpperCase(), name: '乙', password: DEFAULT_PASSWORD })
      .expect(409);
    expect(res.body.code).toBe('EMAIL_TAKEN');
    expect(await t.dataSource.getRepository(User).countBy({ email: address })).toBe(1);
  });

  it('refuses a common password', async () => {
    const res = await t.http
      .post('/api/v1/auth/register/complainant')
      .send({ email: email('weak'), name: '丙', password: 'password123' })
      .expect(400);
    expect(res.body.code).toBe('PASSWORD_TOO_COMMON');
  });

  it('refuses a request that tries to choose its own role', async () => {
    const res = await t.http
      .post('/api/v1/auth/register/complainant')
      .send({ email: email('role'), name: '丁', password: DEFAULT_PASSWORD, role: 'staff_admin' })
      .expect(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: 'role', code: 'whitelistValidation' }),
    ]);
  });

  it('registers an applicant firm and its first firm administrator together', async () => {
    const body = firmBody();
    const res = await t.http.post('/api/v1/auth/register/firm').send(body).expect(201);
    expect(res.body.firm).toEqual(
      expect.objectContaining({
        name: body.firmName,
        nameEn: body.firmNameEn,
        creditCode: body.creditCode,
        district: 'nanshan',
        status: 'applicant',
      }),
    );
    expect(res.body.user).toEqual(
      expect.objectContaining({
        email: body.email,
        role: 'firm_admin',
        firmId: res.body.firm.id,
        emailVerified: false,
      }),
    );
    expect(await emailsTo(t, body.email, 'verify-email')).toHaveLength(1);
    const audit = t.dataSource.getRepository(AuditEvent);
    expect(await audit.countBy({ action: 'firm.registered', subjectId: res.body.firm.id })).toBe(1);
    expect(await audit.countBy({ action: 'user.registered', subjectId: res.body.user.id })).toBe(1);
  });

  it('accepts a lower-case credit code and stores it upper-case', async () => {
    const code = validCreditCode();
    const res = await t.http
      .post('/api/v1/auth/register/firm')
      .send(firmBody({ creditCode: code.toLowerCase() }))
      .expect(201);
    expect(res.body.firm.creditCode).toBe(code);
  });

  it('refuses a credit code with one changed character and stores nothing at all', async () => {
    const valid = validCreditCode();
    const body = firmBody({ creditCode: oneCharacterChanged(valid) });
    const res = await t.http.post('/api/v1/auth/register/firm').send(body).expect(400);
    expect(res.body.code).toBe('CREDIT_CODE_INVALID');
    expect(await t.dataSource.getRepository(User).countBy({ email: body.email })).toBe(0);
    expect(
      await t.dataSource
        .getRepository(Firm)
        .countBy({ name: body.firmName, creditCode: body.creditCode }),
    ).toBe(0);
    expect(await emailsTo(t, body.email)).toHaveLength(0);
  });

  it('stores no firm when its administrator cannot be created (e-mail taken)', async () => {
    const existing = await createUser(t, { role: 'complainant' });
    const body = firmBody({ email: existing.email });
    const res = await t.http.post('/api/v1/auth/register/firm').send(body).expect(409);
    expect(res.body.code).toBe('EMAIL_TAKEN');
    expect(await t.dataSource.getRepository(Firm).countBy({ creditCode: body.creditCode })).toBe(0);
  });

  it('stores no firm when the password is refused', async () => {
    const body = firmBody({ password: 'password123' });
    await t.http.post('/api/v1/auth/register/firm').send(body).expect(400);
    expect(await t.dataSource.getRepository(Firm).countBy({ creditCode: body.creditCode })).toBe(0);
    expect(await t.dataSource.getRepository(User).countBy({ email: body.email })).toBe(0);
  });

  it('refuses a credit code that is already registered', async () => {
    const code = validCreditCode();
    await t.http
      .post('/api/v1/auth/register/firm')
      .send(firmBody({ creditCode: code }))
      .expect(201);
    const res = await t.http
      .post('/api/v1/auth/register/firm')
      .send(firmBody({ creditCode: code }))
      .expect(409);
    expect(res.body.code).toBe('CREDIT_CODE_TAKEN');
  });

  it('refuses a district that is not in Shenzhen', async () => {
    const res = await t.http
      .post('/api/v1/auth/register/firm')
      .send(firmBody({ district: 'haidian' }))
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'district' })]);
  });
});
