import { randomUUID } from 'node:crypto';
import { beijingYear } from '../../src/common/time/beijing.js';
import { SequenceService } from '../../src/database/sequence.service.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { MediatorProfile } from '../../src/modules/disputes/entities/mediator-profile.entity.js';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import type { TestApp } from '../helpers/test-app.js';
import { apiToken, createFirm, createUser, type CreatedUser } from './index.js';

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
    } as DisputeTicket;
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
