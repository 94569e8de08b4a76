import { randomUUID } from 'node:crypto';
import { beijingYear } from '../../src/common/time/beijing.js';
import { SequenceService } from '../../src/database/sequence.service.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { MediatorProfile } from '../../src/modules/disputes/entities/mediator-profile.entity.js';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { DeadlinesService } from '../../src/modules/disputes/deadlines.service.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { User } from '../../src/modules/users/entities/user.entity.js';
import type { TestApp } from '../helpers/test-app.js';
import { apiToken, createFirm, createUser, type CreatedUser } from './index.js';
import { createSignatoryFirm } from './pledge-lists.js';

/**
 * Disputes factories. `createTicket` writes a ticket straight into the database in any state
 * (with a real number), for tests of later stages that should not depend on the filing pages.
 * Tests of a transition itself go through HTTP.
 */

export interface TicketSetup {
  ticket: DisputeTicket;
  complainant: CreatedUser & { token: string };
  firmAdmin: CreatedUser & { token: string };
  firmId: string;
}

export async function createMediator(
  t: TestApp,
  profile: Partial<MediatorProfile> = {},
): Promise<CreatedUser & { token: string }> {
  const user = await createUser(t, { role: 'mediator' });
  const now = new Date();
  await t.app.get(TransactionService).run((em) =>
    em.insert(MediatorProfile, {
      userId: user.id,
      languages: JSON.stringify(['zh']),
      specialities: JSON.stringify([]),
      bio: null,
      status: 'active',
      createdAt: now,
      updatedAt: now,
      version: 1,
      ...profile,
    }),
  );
  return { ...user, token: await apiToken(t, user) };
}

export async function createTicket(
  t: TestApp,
  overrides: Partial<DisputeTicket> & { firmId?: string; complainantUserId?: string } = {},
): Promise<DisputeTicket> {
  const tx = t.app.get(TransactionService);
  const sequences = t.app.get(SequenceService);
  const firmId = overrides.firmId ?? (await createFirm(t)).id;
  const complainantUserId =
    overrides.complainantUserId ?? (await createUser(t, { role: 'complainant' })).id;
  const now = new Date();
  const state = overrides.state ?? 'filed';
  return tx.run(async (em) => {
    let number: string | null = null;
    if (state !== 'draft') {
      const year = beijingYear(now);
      const seq = await sequences.next(em, `dispute-ticket-${year}`);
      number = `SZIFA-M-${year}-${String(seq).padStart(6, '0')}`;
    }
    const ticket: DisputeTicket = {
      id: randomUUID(),
      number,
      state,
      category: 'fee_dispute',
      amountFen: 1_234_56,
      facts: '平台在未告知的情况下收取了服务费。',
      claim: '退还服务费 1234.56 元。',
      contactPhone: '13800138000',
      accountRef: 'LN-2026-0001',
      consentVersion: state === 'draft' ? null : 'rules-2026-1',
      consentAt: state === 'draft' ? null : now,
      rejectReason: null,
      decisionNote: null,
      outcome: null,
      firmResponse: null,
      firmRespondedAt: null,
      mediatorUserId: null,
      assignment: 'none',
      assignedAt: null,
      mediatorAcceptedAt: null,
      contactReleasedAt: null,
      extensionRequestedAt: null,
      extensionComplainantConsentAt: null,
      extensionFirmConsentAt: null,
      extendedAt: null,
      reopenedAt: null,
      filedAt: state === 'draft' ? null : now,
      triagedAt: null,
      mediationStartedAt: state === 'in_mediation' ? now : null,
      resolvedAt: null,
      closedAt: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
      ...overrides,
      complainantUserId,
      firmId,
    };
    await em.insert(DisputeTicket, ticket);
    return ticket;
  });
}

/** A ticket with its complainant and a respondent firm admin, both signed in through the API. */
export async function ticketWithParties(
  t: TestApp,
  overrides: Partial<DisputeTicket> = {},
): Promise<TicketSetup> {
  const firm = await createFirm(t);
  const complainant = await createUser(t, { role: 'complainant' });
  const firmAdmin = await createUser(t, { role: 'firm_admin', firmId: firm.id });
  const ticket = await createTicket(t, {
    ...overrides,
    firmId: firm.id,
    complainantUserId: complainant.id,
  });
  return {
    ticket,
    firmId: firm.id,
    complainant: { ...complainant, token: await apiToken(t, complainant) },
    firmAdmin: { ...firmAdmin, token: await apiToken(t, firmAdmin) },
  };
}

// --- Settlements (helper D) ---

export interface SettlementSetup extends TicketSetup {
  mediator: CreatedUser & { token: string };
  /** Registered names: what each signer types. */
  names: { complainant: string; firmAdmin: string; mediator: string };
}

/**
 * A ticket in mediation with an accepted mediator and a running mediation clock, whose
 * respondent firm has its administrator designated as authorised signatory.
 */
export async function mediationWithSignatory(
  t: TestApp,
  overrides: Partial<DisputeTicket> = {},
): Promise<SettlementSetup> {
  const mediator = await createMediator(t);
  const setup = await ticketWithParties(t, {
    state: 'in_mediation',
    mediatorUserId: mediator.id,
    assignment: 'accepted',
    assignedAt: new Date(),
    mediatorAcceptedAt: new Date(),
    firmResponse: '我司愿意协商解决。',
    firmRespondedAt: new Date(),
    ...overrides,
  });
  await t.app.get(TransactionService).run(async (em) => {
    await em.update(Firm, { id: setup.firmId }, { signatoryUserId: setup.firmAdmin.id });
    await t.app.get(DeadlinesService).start(em, setup.ticket, 'mediation', new Date());
  });
  const users = t.dataSource.getRepository(User);
  const nameOf = async (id: string): Promise<string> => (await users.findOneByOrFail({ id })).name;
  return {
    ...setup,
    mediator,
    names: {
      complainant: await nameOf(setup.complainant.id),
      firmAdmin: await nameOf(setup.firmAdmin.id),
      mediator: await nameOf(mediator.id),
    },
  };
}

/** A Beijing date `days` calendar days after today. */
export function daysFromToday(days: number): string {
  return addDays(beijingDate(new Date()), days);
}

/** The mediator drafts and sends a settlement through the API; returns the sent settlement. */
export async function sendSettlement(
  t: TestApp,
  s: SettlementSetup,
  body: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const auth: [string, string] = ['Authorization', `Bearer ${s.mediator.token}`];
  const drafted = await t.http
    .post(`/api/v1/disputes/tickets/${s.ticket.id}/settlements`)
    .set(...auth)
    .send({
      facts: '平台未告知即收取服务费 1234.56 元。',
      terms: '乙方退还服务费并书面致歉。',
      amount: '1234.56',
      performanceDeadline: daysFromToday(14),
      ...body,
    });
  if (drafted.status !== 201)
    throw new Error(`draft: ${drafted.status} ${JSON.stringify(drafted.body)}`);
  const sent = await t.http
    .post(`/api/v1/disputes/settlements/${String(drafted.body.id)}/send`)
    .set(...auth)
    .send({});
  if (sent.status !== 200) throw new Error(`send: ${sent.status} ${JSON.stringify(sent.body)}`);
  return sent.body as Record<string, unknown>;
}

/** Both parties sign a sent settlement through the API (the second signature settles). */
export async function signSettlementByBoth(
  t: TestApp,
  s: SettlementSetup,
  settlementId: string,
): Promise<void> {
  const sign = (token: string, body: Record<string, unknown>) =>
    t.http
      .post(`/api/v1/disputes/settlements/${settlementId}/sign`)
      .set('Authorization', `Bearer ${token}`)
      .send({ consent: true, ...body });
  const first = await sign(s.complainant.token, {
    typedName: s.names.complainant,
    password: s.complainant.password,
  });
  if (first.status !== 201) throw new Error(`sign: ${first.status} ${JSON.stringify(first.body)}`);
  const second = await sign(s.firmAdmin.token, {
    typedName: s.names.firmAdmin,
    signerTitle: '总经理',
    password: s.firmAdmin.password,
  });
  if (second.status !== 201)
    throw new Error(`sign: ${second.status} ${JSON.stringify(second.body)}`);
}

/** A complete draft, ready to file, created through the API by the complainant. */
export async function createDraftViaApi(
  t: TestApp,
  complainantToken: string,
  firmId: string,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; version: number }> {
  const res = await t.http
    .post('/api/v1/disputes/tickets')
    .set('Authorization', `Bearer ${complainantToken}`)
    .send({
      firmId,
      category: 'fee_dispute',
      amount: '1234.56',
      facts: '平台在未告知的情况下收取了服务费。',
      claim: '退还服务费。',
      contactPhone: '13800138000',
      accountRef: 'LN-0001',
      ...fields,
    });
  if (res.status !== 201)
    throw new Error(`draft failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; version: number };
}

/** The rules version to send with a filing (GET /api/v1/disputes/rules). */
export const FILING_CONSENT = { consent: true, rulesVersion: 'rules-2026-1' } as const;

/** (helper C) A ticket in mediation whose mediator has accepted, with both parties signed in. */
export interface MediatedSetup extends TicketSetup {
  mediator: CreatedUser & { token: string };
}

/** (helper C) A ticket in mediation with an accepted mediator (written straight to the database). */
export async function mediatedTicket(
  t: TestApp,
  overrides: Partial<DisputeTicket> = {},
): Promise<MediatedSetup> {
  const mediator = await createMediator(t);
  const now = new Date();
  const setup = await ticketWithParties(t, {
    state: 'in_mediation',
    mediatorUserId: mediator.id,
    assignment: 'accepted',
    assignedAt: now,
    mediatorAcceptedAt: now,
    mediationStartedAt: now,
    ...overrides,
  });
  return { ...setup, mediator };
}

// --- Browser journey (helper E) ---

/** A person of the browser journey: how they sign in, and the name they sign with. */
export type NamedUser = CreatedUser & { name: string };

/** Everyone the acceptance journey in the browser needs (issue 5, browser test). */
export interface DisputeCast {
  complainant: NamedUser;
  staff: NamedUser;
  mediator: NamedUser;
  firm: Firm;
  /** A firm administrator who is not the authorised signatory. */
  firmAdmin: NamedUser;
  /** The firm's authorised signatory (also a firm administrator). */
  signatory: NamedUser;
}

/**
 * A complainant with a verified e-mail, a staff administrator, an active mediator with a
 * profile, and a member firm with an authorised signatory and a second administrator.
 */
export async function disputeCast(t: TestApp, firmName: string): Promise<DisputeCast> {
  const users = t.dataSource.getRepository(User);
  const named = async (user: CreatedUser): Promise<NamedUser> => ({
    ...user,
    name: (await users.findOneByOrFail({ id: user.id })).name,
  });
  const member = await createSignatoryFirm(t, { name: firmName });
  const mediator = await createMediator(t, {
    languages: JSON.stringify(['zh', 'en']),
    specialities: JSON.stringify(['fee_dispute', 'abusive_collection']),
    bio: '执业律师，从事金融消费纠纷调解八年。',
  });
  return {
    complainant: await named(await createUser(t, { role: 'complainant', verified: true })),
    staff: await named(await createUser(t, { role: 'staff_admin' })),
    mediator: await named(mediator),
    firm: member.firm,
    firmAdmin: await named(await createUser(t, { role: 'firm_admin', firmId: member.firm.id })),
    signatory: member.signatory,
  };
}
