import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeadlinesService } from '../../src/modules/disputes/deadlines.service.js';
import { DisputeAttachment } from '../../src/modules/disputes/entities/dispute-attachment.entity.js';
import { DisputeDeadline } from '../../src/modules/disputes/entities/dispute-deadline.entity.js';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { DisputeTimelineEntry } from '../../src/modules/disputes/entities/dispute-timeline-entry.entity.js';
import {
  MESSAGE_VISIBILITIES,
  type MessageVisibility,
} from '../../src/modules/disputes/visibility.js';
import { createMediator, mediatedTicket, type MediatedSetup } from '../factories/disputes.js';
import { SAMPLE_PDF } from '../factories/firm-portal.js';
import { apiToken, createUser, loginAs, type CreatedUser } from '../factories/index.js';
import { bearer, emailsTo, writeDb } from '../helpers/auth-flows.js';
import { csrfOf, signInWeb, type WebAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Viewer =
  | 'complainant'
  | 'otherComplainant'
  | 'firmAdmin'
  | 'firmMember'
  | 'otherFirm'
  | 'mediator'
  | 'otherMediator'
  | 'staff'
  | 'anonymous';

/** What each viewer may read: null when the ticket itself is hidden from them. */
const READABLE: Record<Viewer, MessageVisibility[] | null> = {
  complainant: ['parties', 'caucus_complainant'],
  otherComplainant: null,
  firmAdmin: ['parties', 'caucus_firm'],
  firmMember: ['parties', 'caucus_firm'],
  otherFirm: null,
  mediator: ['parties', 'internal', 'caucus_complainant', 'caucus_firm'],
  otherMediator: null,
  staff: ['parties', 'internal', 'caucus_complainant', 'caucus_firm'],
  anonymous: null,
};
const VIEWERS = Object.keys(READABLE) as Viewer[];

/** Who writes each message in the fixture (each side posts what it may write). */
const AUTHOR: Record<MessageVisibility, 'complainant' | 'firmAdmin' | 'mediator'> = {
  parties: 'complainant',
  internal: 'mediator',
  caucus_complainant: 'complainant',
  caucus_firm: 'firmAdmin',
};

describe('disputes: who sees which message (each role × each visibility, API and pages)', () => {
  let t: TestApp;
  let s: MediatedSetup;
  const users = {} as Record<Exclude<Viewer, 'anonymous'>, CreatedUser & { token: string }>;
  const web = {} as Record<Exclude<Viewer, 'anonymous'>, WebAgent>;
  const bodies = {} as Record<MessageVisibility, string>;
  const files = {} as Record<MessageVisibility, string>;

  beforeAll(async () => {
    t = await startTestApp();
    s = await mediatedTicket(t);
    const withToken = async (u: CreatedUser) => ({ ...u, token: await apiToken(t, u) });
    users.complainant = s.complainant;
    users.firmAdmin = s.firmAdmin;
    users.mediator = s.mediator;
    users.firmMember = await withToken(
      await createUser(t, { role: 'firm_member', firmId: s.firmId }),
    );
    users.otherComplainant = await loginAs(t, 'complainant');
    users.otherFirm = await loginAs(t, 'firm_admin');
    users.otherMediator = await createMediator(t);
    users.staff = await loginAs(t, 'staff_reviewer');
    for (const v of VIEWERS) if (v !== 'anonymous') web[v] = await signInWeb(t, users[v]);

    // Each message is posted through the ticket page's form with one attachment.
    const path = `/disputes/tickets/${s.ticket.id}`;
    for (const visibility of MESSAGE_VISIBILITIES) {
      bodies[visibility] = `MSG-${visibility}-${randomUUID().slice(0, 8)}`;
      const agent = web[AUTHOR[visibility]];
      const csrf = await csrfOf(agent, path);
      const res = await agent
        .post(`${path}/messages?_csrf=${encodeURIComponent(csrf)}`)
        .field('body', bodies[visibility])
        .field('visibility', visibility)
        .attach('files', SAMPLE_PDF, {
          filename: `${visibility}.pdf`,
          contentType: 'application/pdf',
        });
      expect(res.status).toBe(303);
      expect(res.headers.location).toContain('done=conversation.done.posted');
    }
    const attachments = await t.dataSource
      .getRepository(DisputeAttachment)
      .findBy({ ticketId: s.ticket.id });
    for (const a of attachments) files[a.visibility] = a.id;
    expect(Object.keys(files).sort()).toEqual([...MESSAGE_VISIBILITIES].sort());
  });
  afterAll(() => t.close());

  const apiGet = (viewer: Viewer, path: string) => {
    const req = t.http.get(`/api/v1/disputes/tickets/${s.ticket.id}${path}`);
    return viewer === 'anonymous' ? req : req.set(...bearer(users[viewer].token));
  };

  describe.each(VIEWERS)('%s', (viewer) => {
    const readable = READABLE[viewer];

    it('GET messages returns exactly the messages of the visibilities they may read', async () => {
      const res = await apiGet(viewer, '/messages');
      if (viewer === 'anonymous') return void expect(res.status).toBe(401);
      if (readable === null) return void expect(res.status).toBe(404);
      expect(res.status).toBe(200);
      const items = res.body.items as Array<{
        body: string;
        visibility: string;
        attachments: unknown[];
      }>;
      expect(items.map((m) => m.visibility).sort()).toEqual([...readable].sort());
      expect(items.map((m) => m.body).sort()).toEqual(readable.map((v) => bodies[v]).sort());
      for (const m of items) expect(m.attachments).toHaveLength(1);
    });

    it.each(MESSAGE_VISIBILITIES)(
      'downloads the %s attachment only when they may read it',
      async (visibility) => {
        const res = await apiGet(viewer, `/attachments/${files[visibility]}`);
        if (viewer === 'anonymous') return void expect(res.status).toBe(401);
        expect(res.status).toBe(readable?.includes(visibility) ? 200 : 404);
      },
    );

    it('the ticket page shows exactly the bodies they may read', async () => {
      const path = `/disputes/tickets/${s.ticket.id}`;
      if (viewer === 'anonymous') {
        const res = await t.http.get(path).set('Accept', 'text/html');
        expect([302, 303]).toContain(res.status);
        for (const v of MESSAGE_VISIBILITIES) expect(res.text ?? '').not.toContain(bodies[v]);
        return;
      }
      const res = await web[viewer].get(path).set('Accept', 'text/html');
      if (readable === null) {
        expect(res.status).toBe(404);
        for (const v of MESSAGE_VISIBILITIES) expect(res.text).not.toContain(bodies[v]);
        return;
      }
      expect(res.status).toBe(200);
      for (const v of MESSAGE_VISIBILITIES) {
        if (readable.includes(v)) expect(res.text).toContain(bodies[v]);
        else expect(res.text).not.toContain(bodies[v]);
        if (readable.includes(v)) expect(res.text).toContain(files[v]);
        else expect(res.text).not.toContain(files[v]);
      }
    });
  });

  it('offers each party only the visibilities it may write, and refuses the others', async () => {
    const post = (viewer: Viewer, visibility: string) =>
      t.http
        .post(`/api/v1/disputes/tickets/${s.ticket.id}/messages`)
        .set(...bearer(users[viewer as 'complainant'].token))
        .send({ body: '试图越权发送。', visibility });
    for (const [viewer, visibility] of [
      ['complainant', 'internal'],
      ['complainant', 'caucus_firm'],
      ['firmAdmin', 'caucus_complainant'],
      ['firmMember', 'internal'],
      ['staff', 'caucus_firm'],
    ] as const) {
      const res = await post(viewer, visibility);
      expect([viewer, visibility, res.status, res.body.code]).toEqual([
        viewer,
        visibility,
        400,
        'VISIBILITY_NOT_ALLOWED',
      ]);
    }
    const page = await web.complainant
      .get(`/disputes/tickets/${s.ticket.id}`)
      .set('Accept', 'text/html');
    const select =
      /<select[^>]*name="visibility"[^>]*>([\s\S]*?)<\/select>/.exec(page.text)?.[1] ?? '';
    expect([...select.matchAll(/value="([a-z_]+)"/g)].map((m) => m[1])).toEqual([
      'parties',
      'caucus_complainant',
    ]);
    const empty = await t.http
      .post(`/api/v1/disputes/tickets/${s.ticket.id}/messages`)
      .set(...bearer(users.complainant.token))
      .send({ body: '   ', visibility: 'parties' })
      .expect(400);
    expect(empty.body.code).toBe('MESSAGE_EMPTY');
  });

  it('never puts a message body in the timeline or in e-mails, and tells only those who may read it', async () => {
    const entries = await t.dataSource
      .getRepository(DisputeTimelineEntry)
      .findBy({ ticketId: s.ticket.id, action: 'message_posted' });
    expect(entries).toHaveLength(4);
    for (const e of entries)
      for (const v of MESSAGE_VISIBILITIES) expect(e.detail).not.toContain(bodies[v]);
    expect(entries.filter((e) => e.audience === 'all')).toHaveLength(1);
    const timeline = await apiGet('complainant', '/timeline').expect(200);
    const posted = (timeline.body.items as Array<{ action: string }>).filter(
      (i) => i.action === 'message_posted',
    );
    expect(posted).toHaveLength(1);
    for (const viewer of ['complainant', 'firmAdmin', 'mediator'] as const) {
      const mails = await emailsTo(t, users[viewer].email);
      for (const mail of mails)
        for (const v of MESSAGE_VISIBILITIES) expect(mail.textBody ?? '').not.toContain(bodies[v]);
    }
    // Each side hears only of messages it may read and did not write: the complainant of none
    // here, the firm of the complainant's `parties` message, the mediator of the three parties'
    // messages; the internal note (by the mediator) of nobody.
    const complainantMails = await emailsTo(t, users.complainant.email, 'dispute-workflow-update');
    expect(complainantMails).toHaveLength(0);
    const firmMails = await emailsTo(t, users.firmAdmin.email, 'dispute-workflow-update');
    expect(firmMails).toHaveLength(1);
    const mediatorMails = await emailsTo(t, users.mediator.email, 'dispute-workflow-update');
    expect(mediatorMails).toHaveLength(3);
  });

  it('an internal note never starts, meets or moves a clock, nor changes the ticket', async () => {
    await writeDb(t, (m) =>
      t.app.get(DeadlinesService).start(m, s.ticket, 'mediation', new Date()),
    );
    const clocks = () =>
      t.dataSource
        .getRepository(DisputeDeadline)
        .find({ where: { ticketId: s.ticket.id }, order: { id: 'ASC' } });
    const before = {
      clocks: await clocks(),
      ticket: await t.dataSource.getRepository(DisputeTicket).findOneByOrFail({ id: s.ticket.id }),
    };
    await t.http
      .post(`/api/v1/disputes/tickets/${s.ticket.id}/messages`)
      .set(...bearer(users.mediator.token))
      .send({ body: '内部备注：机构态度积极。', visibility: 'internal' })
      .expect(201);
    await t.http
      .post(`/api/v1/disputes/tickets/${s.ticket.id}/messages`)
      .set(...bearer(users.firmAdmin.token))
      .send({ body: '我们同意退款。', visibility: 'parties' })
      .expect(201);
    expect(await clocks()).toEqual(before.clocks);
    const after = await t.dataSource
      .getRepository(DisputeTicket)
      .findOneByOrFail({ id: s.ticket.id });
    expect(after).toEqual(before.ticket);
  });
});
