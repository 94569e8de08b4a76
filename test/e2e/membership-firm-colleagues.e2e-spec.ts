import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { toActor } from '../../src/modules/users/users.service.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { ColleaguesService } from '../../src/modules/membership/colleagues.service.js';
import { FirmInvitation } from '../../src/modules/membership/entities/firm-invitation.entity.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { MembershipError } from '../../src/modules/membership/membership.errors.js';
import { User } from '../../src/modules/users/entities/user.entity.js';
import { apiToken, DEFAULT_PASSWORD, loginAs } from '../factories/index.js';
import { invitationTokenFor } from '../factories/firm-portal.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let seq = 0;
const newEmail = (): string => `invitee.${Date.now().toString(36)}.${seq++}@example.cn`;

describe('firm colleagues: invitations, removal and the authorised signatory', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const userRow = (id: string) => t.dataSource.getRepository(User).findOneByOrFail({ id });
  const firmRow = (id: string) => t.dataSource.getRepository(Firm).findOneByOrFail({ id });

  async function invite(token: string, firmId: string, email: string, role = 'firm_member') {
    return t.http
      .post(`/api/v1/firms/${firmId}/invitations`)
      .set(auth(token))
      .send({ email, role });
  }

  async function joinFirm(adminToken: string, firmId: string, role = 'firm_member') {
    const email = newEmail();
    await invite(adminToken, firmId, email, role).then((res) => expect(res.status).toBe(201));
    const token = await invitationTokenFor(t, email);
    const accepted = await t.http
      .post('/api/v1/invitations/accept')
      .send({ token, name: '新同事', password: DEFAULT_PASSWORD })
      .expect(201);
    const user = { email, password: DEFAULT_PASSWORD };
    return { id: accepted.body.id as string, email, token: await apiToken(t, user) };
  }

  it('invites by e-mail; the link creates a verified account of the invited role, once', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const email = newEmail();
    const sent = await invite(admin.token, admin.firmId!, email, 'firm_admin');
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ email, role: 'firm_admin', state: 'pending' });
    const expiresIn = Date.parse(sent.body.expiresAt) - Date.parse(sent.body.createdAt);
    expect(expiresIn).toBe(7 * 24 * 3600_000);

    const token = await invitationTokenFor(t, email);
    const stored = await t.dataSource
      .getRepository(FirmInvitation)
      .findOneByOrFail({ id: sent.body.id });
    expect(stored.tokenHash).not.toContain(token);
    const events = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ subjectId: admin.firmId! });
    expect(events.map((e) => e.summary).join('\n')).not.toContain(token);

    const accepted = await t.http
      .post('/api/v1/invitations/accept')
      .send({ token, name: '韩梅梅', password: DEFAULT_PASSWORD })
      .expect(201);
    expect(accepted.body).toMatchObject({ email, role: 'firm_admin', firmId: admin.firmId });
    const user = await userRow(accepted.body.id);
    expect(user.emailVerifiedAt).not.toBeNull();
    await apiToken(t, { email, password: DEFAULT_PASSWORD });

    const again = await t.http
      .post('/api/v1/invitations/accept')
      .send({ token, name: '别人', password: DEFAULT_PASSWORD })
      .expect(400);
    expect(again.body.code).toBe('INVITATION_INVALID');
  });

  it('refuses an expired invitation link', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const email = newEmail();
    const sent = await invite(admin.token, admin.firmId!, email);
    const token = await invitationTokenFor(t, email);
    await t.app
      .get(TransactionService)
      .run((em) =>
        em.update(FirmInvitation, { id: sent.body.id }, { expiresAt: new Date(Date.now() - 1000) }),
      );
    const res = await t.http
      .post('/api/v1/invitations/accept')
      .send({ token, name: '迟到者', password: DEFAULT_PASSWORD })
      .expect(400);
    expect(res.body.code).toBe('INVITATION_INVALID');
    expect(await t.dataSource.getRepository(User).findOneBy({ email })).toBeNull();
  });

  it('retires the earlier link when the same address is invited again, and honours revocation', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const email = newEmail();
    await invite(admin.token, admin.firmId!, email);
    const first = await invitationTokenFor(t, email);
    const second = await invite(admin.token, admin.firmId!, email);
    const secondToken = await invitationTokenFor(t, email);
    expect(secondToken).not.toBe(first);
    await t.http
      .post('/api/v1/invitations/accept')
      .send({ token: first, name: '甲', password: DEFAULT_PASSWORD })
      .expect(400);
    await t.http
      .delete(`/api/v1/firms/${admin.firmId}/invitations/${second.body.id}`)
      .set(auth(admin.token))
      .expect(204);
    await t.http
      .post('/api/v1/invitations/accept')
      .send({ token: secondToken, name: '乙', password: DEFAULT_PASSWORD })
      .expect(400);
  });

  it('refuses to invite an address that already has an account', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const existing = await loginAs(t, 'complainant');
    const res = await invite(admin.token, admin.firmId!, existing.email.toUpperCase());
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('INVITEE_HAS_ACCOUNT');
  });

  it("removes a colleague: the account is disabled and the colleague's token stops working", async () => {
    const admin = await loginAs(t, 'firm_admin');
    const colleague = await joinFirm(admin.token, admin.firmId!);
    await t.http
      .get(`/api/v1/firms/${admin.firmId}/profile`)
      .set(auth(colleague.token))
      .expect(200);
    await t.http
      .delete(`/api/v1/firms/${admin.firmId}/colleagues/${colleague.id}`)
      .set(auth(admin.token))
      .expect(204);
    expect((await userRow(colleague.id)).disabledAt).not.toBeNull();
    await t.http
      .get(`/api/v1/firms/${admin.firmId}/profile`)
      .set(auth(colleague.token))
      .expect(401);
    const list = await t.http
      .get(`/api/v1/firms/${admin.firmId}/colleagues`)
      .set(auth(admin.token))
      .expect(200);
    const removed = (list.body.colleagues as Array<{ id: string; removedAt: string | null }>).find(
      (c) => c.id === colleague.id,
    );
    expect(removed?.removedAt).not.toBeNull();
    await t.http
      .delete(`/api/v1/firms/${admin.firmId}/colleagues/${colleague.id}`)
      .set(auth(admin.token))
      .expect(404);
  });

  it('does not let an administrator remove themselves', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const res = await t.http
      .delete(`/api/v1/firms/${admin.firmId}/colleagues/${admin.id}`)
      .set(auth(admin.token))
      .expect(400);
    expect(res.body.code).toBe('CANNOT_REMOVE_SELF');
    expect((await userRow(admin.id)).disabledAt).toBeNull();
  });

  it("never removes a firm's last administrator (two admins removing each other)", async () => {
    const a = await loginAs(t, 'firm_admin');
    const b = await joinFirm(a.token, a.firmId!, 'firm_admin');
    const bActor = toActor(await userRow(b.id));
    // A removes B; B's request, already past the door, then tries to remove A.
    await t.http
      .delete(`/api/v1/firms/${a.firmId}/colleagues/${b.id}`)
      .set(auth(a.token))
      .expect(204);
    const colleagues = t.app.get(ColleaguesService);
    const refusal = await colleagues.remove(bActor, a.firmId!, a.id).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(MembershipError);
    expect((refusal as MembershipError).code).toBe('LAST_FIRM_ADMIN');
    expect((await userRow(a.id)).disabledAt).toBeNull();
  });

  it('designates the signatory only among active users of the same firm', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const firmId = admin.firmId!;
    const member = await joinFirm(admin.token, firmId);
    await t.http
      .put(`/api/v1/firms/${firmId}/signatory`)
      .set(auth(admin.token))
      .send({ userId: member.id })
      .expect(204);
    expect((await firmRow(firmId)).signatoryUserId).toBe(member.id);
    const list = await t.http
      .get(`/api/v1/firms/${firmId}/colleagues`)
      .set(auth(member.token))
      .expect(200);
    expect(list.body.signatoryUserId).toBe(member.id);
    const listed = list.body.colleagues as Array<{ id: string; isSignatory: boolean }>;
    expect(listed.find((c) => c.id === member.id)?.isSignatory).toBe(true);

    const outsider = await loginAs(t, 'firm_admin');
    for (const userId of [outsider.id, randomUUID()]) {
      const res = await t.http
        .put(`/api/v1/firms/${firmId}/signatory`)
        .set(auth(admin.token))
        .send({ userId })
        .expect(400);
      expect(res.body.code).toBe('SIGNATORY_INVALID');
    }
    expect((await firmRow(firmId)).signatoryUserId).toBe(member.id);

    // Removing the signatory clears the designation; a removed user cannot be designated.
    await t.http
      .delete(`/api/v1/firms/${firmId}/colleagues/${member.id}`)
      .set(auth(admin.token))
      .expect(204);
    expect((await firmRow(firmId)).signatoryUserId).toBeNull();
    await t.http
      .put(`/api/v1/firms/${firmId}/signatory`)
      .set(auth(admin.token))
      .send({ userId: member.id })
      .expect(400);
    const history = await t.http
      .get(`/api/v1/firms/${firmId}/history`)
      .set(auth(admin.token))
      .expect(200);
    expect(history.body.revisions[0].changes).toEqual([
      { field: 'signatoryUserId', from: member.id, to: null },
    ]);
  });

  it("answers 404 to another firm's users on colleagues, invitations, removal and signatory", async () => {
    const owner = await loginAs(t, 'firm_admin');
    const member = await loginAs(t, 'firm_member', { firmId: owner.firmId });
    const stranger = await loginAs(t, 'firm_admin');
    const base = `/api/v1/firms/${owner.firmId}`;
    await t.http.get(`${base}/colleagues`).set(auth(stranger.token)).expect(404);
    await t.http
      .post(`${base}/invitations`)
      .set(auth(stranger.token))
      .send({ email: newEmail(), role: 'firm_member' })
      .expect(404);
    await t.http.delete(`${base}/colleagues/${member.id}`).set(auth(stranger.token)).expect(404);
    await t.http
      .put(`${base}/signatory`)
      .set(auth(stranger.token))
      .send({ userId: stranger.id })
      .expect(404);
    expect((await userRow(member.id)).disabledAt).toBeNull();
    // A firm member of the firm itself may read, not manage.
    await t.http.get(`${base}/colleagues`).set(auth(member.token)).expect(200);
    await t.http
      .post(`${base}/invitations`)
      .set(auth(member.token))
      .send({ email: newEmail(), role: 'firm_member' })
      .expect(403);
    const staff = await loginAs(t, 'staff_reviewer');
    await t.http.get(`${base}/colleagues`).set(auth(staff.token)).expect(200);
  });
});
