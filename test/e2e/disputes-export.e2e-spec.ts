import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LoginFailure } from '../../src/modules/auth/entities/login-failure.entity.js';
import { DisputeAttachment } from '../../src/modules/disputes/entities/dispute-attachment.entity.js';
import { DisputeMessage } from '../../src/modules/disputes/entities/dispute-message.entity.js';
import { DisputeTimelineEntry } from '../../src/modules/disputes/entities/dispute-timeline-entry.entity.js';
import type { JudicialExport } from '../../src/modules/disputes/judicial-export.service.js';
import type { MessageVisibility } from '../../src/modules/disputes/visibility.js';
import {
  createMediator,
  mediationWithSignatory,
  sendSettlement,
  signSettlementByBoth,
  type SettlementSetup,
} from '../factories/disputes.js';
import { loginAs } from '../factories/index.js';
import { bearer, writeDb } from '../helpers/auth-flows.js';
import { signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const SECRET = {
  internal: '内部备注：机构合规负责人曾有不良记录',
  caucus_complainant: '单方会谈（投诉人）：底线是八百元',
  caucus_firm: '单方会谈（机构）：最多可退一千元',
  timeline: '内部时间线：仅限调解员',
};

describe('disputes judicial export (司法确认)', () => {
  let t: TestApp;
  let s: SettlementSetup;
  let settlementId: string;

  beforeAll(async () => {
    t = await startTestApp();
    s = await mediationWithSignatory(t);
    const now = Date.now();
    const message = (visibility: MessageVisibility, body: string, offset: number) => ({
      id: randomUUID(),
      ticketId: s.ticket.id,
      authorUserId: s.mediator.id,
      authorParty: 'mediator' as const,
      visibility,
      body,
      createdAt: new Date(now + offset),
    });
    await writeDb(t, async (m) => {
      await m.insert(DisputeMessage, [
        message('parties', '双方可见：请双方提交付款记录。', 1),
        message('internal', SECRET.internal, 2),
        message('caucus_complainant', SECRET.caucus_complainant, 3),
        message('caucus_firm', SECRET.caucus_firm, 4),
      ]);
      const attachment = (visibility: MessageVisibility, fileName: string, sha: string) => ({
        id: randomUUID(),
        ticketId: s.ticket.id,
        messageId: null,
        visibility,
        uploadedBy: s.complainant.id,
        uploaderParty: 'complainant' as const,
        fileName,
        contentType: 'application/pdf',
        sizeBytes: 1234,
        sha256: sha,
        createdAt: new Date(now),
        removedAt: null,
      });
      await m.insert(DisputeAttachment, [
        attachment('parties', 'receipt.pdf', 'a'.repeat(64)),
        attachment('internal', 'internal-memo.pdf', 'b'.repeat(64)),
      ]);
      await m.insert(DisputeTimelineEntry, {
        id: randomUUID(),
        ticketId: s.ticket.id,
        at: new Date(now),
        actorUserId: s.mediator.id,
        actorParty: 'mediator',
        action: 'note',
        fromState: null,
        toState: null,
        detail: JSON.stringify({ note: SECRET.timeline }),
        audience: 'internal',
        auditEventId: null,
      });
    });
    settlementId = String((await sendSettlement(t, s)).id);
    await signSettlementByBoth(t, s, settlementId);
  });
  afterAll(() => t.close());
  beforeEach(() => writeDb(t, (m) => m.clear(LoginFailure)));

  const exportAs = (token: string) =>
    t.http.get(`/api/v1/disputes/tickets/${s.ticket.id}/judicial-export`).set(...bearer(token));

  it('contains the agreement text, its fingerprint, both signatures with payload, key and signature, and where the keys are', async () => {
    const res = await exportAs(s.complainant.token).expect(200);
    const body = res.body as JudicialExport;
    expect(body.ticket.number).toBe(s.ticket.number);
    expect(body.parties.complainant.name).toBe(s.names.complainant);
    expect(body.mediator?.name).toBe(s.names.mediator);
    expect(body.settlements).toHaveLength(1);
    const [agreement] = body.settlements;
    expect(agreement.text).toContain(s.names.complainant);
    expect(agreement.textFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(agreement.signatures).toHaveLength(2);
    for (const signature of agreement.signatures) {
      expect(signature.payload).toContain(agreement.textFingerprint);
      expect(signature.kid).toMatch(/^szifa-/);
      expect(signature.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
      expect(body.auditEventIds).toContain(signature.auditEventId);
    }
    expect(agreement.verification.status).toBe('valid');
    expect(body.keys.jwksPath).toBe('/.well-known/szifa-keys.json');
    expect(body.evidence).toEqual([
      expect.objectContaining({ fileName: 'receipt.pdf', sha256: 'a'.repeat(64) }),
    ]);
    const actions = body.timeline.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['settlement_sent', 'settlement_signed', 'settle']),
    );
    for (const entry of body.timeline) expect(body.auditEventIds).toContain(entry.auditEventId);
  });

  it('never carries an internal note, a caucus message, internal evidence or an internal timeline entry', async () => {
    const staff = await loginAs(t, 'staff_admin');
    for (const token of [s.complainant.token, s.firmAdmin.token, s.mediator.token, staff.token]) {
      const res = await exportAs(token).expect(200);
      const text = JSON.stringify(res.body);
      expect(text).toContain('双方可见：请双方提交付款记录。');
      for (const secret of Object.values(SECRET)) expect(text).not.toContain(secret);
      expect(text).not.toContain('internal-memo.pdf');
      expect(text).not.toContain('settlement_drafted');
    }
  });

  it('is given to the two parties, the mediator and staff, and to no one else', async () => {
    const outsider = await loginAs(t, 'complainant');
    await exportAs(outsider.token).expect(404);
    const otherFirm = await loginAs(t, 'firm_admin');
    await exportAs(otherFirm.token).expect(404);
    const otherMediator = await createMediator(t);
    await exportAs(otherMediator.token).expect(404);
    await t.http.get(`/api/v1/disputes/tickets/${s.ticket.id}/judicial-export`).expect(401);
  });

  it('prints as a page with the agreement, the signatures and no caucus message', async () => {
    const agent = await signInWeb(t, s.complainant);
    const page = await agent.get(`/disputes/tickets/${s.ticket.id}/judicial-export`).expect(200);
    expect(page.text).toContain(s.ticket.number!);
    expect(page.text).toContain('/.well-known/szifa-keys.json');
    expect(page.text).toContain('双方可见：请双方提交付款记录。');
    for (const secret of Object.values(SECRET)) expect(page.text).not.toContain(secret);
  });
});
