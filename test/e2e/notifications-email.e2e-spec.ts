import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SMTPServer } from 'smtp-server';
import { TransactionService } from '../../src/database/transaction.service.js';
import { OutboxEmail } from '../../src/modules/notifications/entities/outbox-email.entity.js';
import {
  MAX_ATTEMPTS,
  NotificationsService,
  type EmailRequest,
} from '../../src/modules/notifications/notifications.service.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Received {
  envelopeTo: string[];
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
}

/** A name with every character HTML cares about, and Chinese. */
const TRICKY_NAME = `陈<b>"小明"</b> & O'Neil`;

// --- A small MIME reader: enough for what nodemailer writes (multipart/alternative, QP/base64).

function decodeBytes(encoded: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '=' && /^[0-9A-F]{2}$/i.test(encoded.slice(i + 1, i + 3))) {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(encoded[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_all, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeBytes(data.replace(/_/g, ' ')),
    );
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64')
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeBytes(body.replace(/=\r\n/g, ''));
  return body;
}

function parseMessage(raw: string, envelopeTo: string[]): Received {
  const split = raw.indexOf('\r\n\r\n');
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const parts: Record<string, string> = {};
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  const chunks = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw];
  for (const chunk of chunks) {
    const at = chunk.indexOf('\r\n\r\n');
    const partHeaders = parseHeaders(chunk.slice(0, at).replace(/^\r\n/, ''));
    const type = (partHeaders.get('content-type') ?? '').split(';')[0].trim();
    parts[type] = decodeBody(partHeaders, chunk.slice(at + 4).replace(/\r\n$/, ''));
  }
  return {
    envelopeTo,
    headers,
    subject: decodeHeader(headers.get('subject') ?? ''),
    text: (parts['text/plain'] ?? '').replace(/\r\n/g, '\n'),
    html: (parts['text/html'] ?? '').replace(/\r\n/g, '\n'),
  };
}

// --- The SMTP server the platform talks to in these tests.

class TestMailServer {
  readonly received: Received[] = [];
  /** Recipients the server answers 550 for. */
  readonly refuse = new Set<string>();
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      if (!this.refuse.has(address.address)) return callback();
      const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
      callback(error);
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        this.received.push(parseMessage(Buffer.concat(chunks).toString('utf8'), to));
        callback();
      });
    },
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  to(address: string): Received[] {
    return this.received.filter((m) => m.envelopeTo.includes(address));
  }
}

let serial = 0;
const address = (name: string): string =>
  `${name}.${Date.now().toString(36)}${serial++}@example.cn`;

describe('e-mail through a real SMTP server', () => {
  const mail = new TestMailServer();
  let t: TestApp;
  let notifications: NotificationsService;
  let tx: TransactionService;

  async function queue(
    request: Omit<EmailRequest, 'template'> & { template?: string },
  ): Promise<OutboxEmail> {
    const email = await tx.run((m) =>
      notifications.queueEmail(m, { template: 'test', ...request }),
    );
    // Queuing started a delivery pass after commit; this joins it.
    await notifications.deliverPending();
    return t.dataSource.getRepository(OutboxEmail).findOneByOrFail({ id: email.id });
  }

  beforeAll(async () => {
    const port = await mail.start();
    t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    notifications = t.app.get(NotificationsService);
    tx = t.app.get(TransactionService);
  });
  afterAll(async () => {
    await t.close();
    await mail.stop();
  });
  beforeEach(() => mail.refuse.clear());

  it('delivers a Chinese e-mail with its subject, recipient and body, and marks it sent', async () => {
    const to = address('chen');
    const row = await queue({ to, locale: 'zh-CN', context: { name: '陈小明' } });

    const [message] = mail.to(to);
    expect(mail.to(to)).toHaveLength(1);
    expect(message.subject).toBe('测试邮件 陈小明');
    expect(message.headers.get('to')).toBe(to);
    expect(message.headers.get('from')).toContain('<no-reply@szifa.org.cn>');
    expect(message.text).toBe(
      `陈小明，您好：\n\n这是一封测试邮件。您的通知在这里：${t.config.PUBLIC_URL}/notifications。\n`,
    );
    expect(message.html).toContain('<html lang="zh-CN">');
    expect(message.html).toContain('<p>陈小明，您好：</p>');
    expect(message.html).toContain(
      `这是一封测试邮件。您的通知在这里：<a href="${t.config.PUBLIC_URL}/notifications">${t.config.PUBLIC_URL}/notifications</a>。</p>`,
    );
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 1,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it('delivers an English e-mail from the English template', async () => {
    const to = address('lee');
    const row = await queue({ to, locale: 'en', context: { name: 'Alex Lee' } });

    const [message] = mail.to(to);
    expect(message.subject).toBe('Test e-mail Alex Lee');
    expect(message.text).toBe(
      `Hello Alex Lee,\n\nThis is a test e-mail. Your notifications are at ${t.config.PUBLIC_URL}/notifications.\n`,
    );
    expect(message.html).toContain('<html lang="en">');
    expect(message.html).toContain(`<a href="${t.config.PUBLIC_URL}/notifications">`);
    expect(row.status).toBe('sent');
  });

  it('escapes user data in the HTML part but keeps it readable in the text part and subject', async () => {
    const to = address('tricky');
    await queue({ to, locale: 'en', context: { name: TRICKY_NAME } });

    const [message] = mail.to(to);
    expect(message.subject).toBe(`Test e-mail ${TRICKY_NAME}`);
    expect(message.text).toContain(`Hello ${TRICKY_NAME},`);
    expect(message.html).toContain('Hello 陈&lt;b&gt;&quot;小明&quot;&lt;/b&gt; &amp; O&#39;Neil,');
    expect(message.html).not.toContain('<b>');
  });

  it('never stores nor sends an e-mail queued in a transaction that then fails', async () => {
    const to = address('rollback');
    await expect(
      tx.run(async (m) => {
        await notifications.queueEmail(m, {
          to,
          template: 'test',
          locale: 'zh-CN',
          context: { name: 'x' },
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await notifications.deliverPending();

    expect(await t.dataSource.getRepository(OutboxEmail).countBy({ recipient: to })).toBe(0);
    expect(mail.to(to)).toEqual([]);
  });

  it('keeps a refused e-mail pending, counts the attempt and waits before trying again', async () => {
    const to = address('refused');
    mail.refuse.add(to);
    const row = await queue({ to, locale: 'zh-CN', context: { name: '退信' } });

    expect(row).toMatchObject({ status: 'pending', attempts: 1, sentAt: null });
    expect(row.lastError).toContain('550');
    expect(row.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());

    // Another e-mail's delivery pass does not hammer the refused one.
    await queue({ to: address('other'), locale: 'en', context: { name: 'other' } });
    const waiting = await t.dataSource.getRepository(OutboxEmail).findOneByOrFail({ id: row.id });
    expect(waiting.attempts).toBe(1);
    expect(mail.to(to)).toEqual([]);
  });

  it('sends a pending e-mail on a later pass once its back-off is over and the server accepts', async () => {
    const to = address('retry');
    mail.refuse.add(to);
    const row = await queue({ to, locale: 'en', context: { name: 'retry' } });
    expect(row.status).toBe('pending');

    mail.refuse.delete(to);
    await tx.run((m) =>
      m.update(OutboxEmail, { id: row.id }, { nextAttemptAt: new Date(Date.now() - 1000) }),
    );
    await notifications.deliverPending();

    const sent = await t.dataSource.getRepository(OutboxEmail).findOneByOrFail({ id: row.id });
    expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
    expect(mail.to(to)).toHaveLength(1);
  });

  it(`gives up after ${MAX_ATTEMPTS} refused attempts and marks the e-mail failed`, async () => {
    const to = address('hopeless');
    mail.refuse.add(to);
    const row = await queue({ to, locale: 'en', context: { name: 'hopeless' } });
    await tx.run((m) =>
      m.update(
        OutboxEmail,
        { id: row.id },
        { attempts: MAX_ATTEMPTS - 1, nextAttemptAt: new Date(Date.now() - 1000) },
      ),
    );
    await notifications.deliverPending();

    const failed = await t.dataSource.getRepository(OutboxEmail).findOneByOrFail({ id: row.id });
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, nextAttemptAt: null });
  });
});

describe('e-mail without an SMTP server configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' });
  });
  afterAll(() => t.close());

  it("keeps the e-mail in the outbox with status 'kept' and logs it", async () => {
    const notifications = t.app.get(NotificationsService);
    const to = address('kept');
    const email = await t.app.get(TransactionService).run((m) =>
      notifications.queueEmail(m, {
        to,
        template: 'test',
        locale: 'zh-CN',
        context: { name: '陈小明' },
      }),
    );
    await notifications.deliverPending();

    const row = await t.dataSource.getRepository(OutboxEmail).findOneByOrFail({ id: email.id });
    expect(row).toMatchObject({
      status: 'kept',
      attempts: 0,
      sentAt: null,
      subject: '测试邮件 陈小明',
    });
    expect(row.textBody).toContain('陈小明，您好：\n\n这是一封测试邮件。');
    const logged = t.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((e) => e.msg === 'email.kept' && e.id === email.id);
    expect(logged).toMatchObject({ to, template: 'test' });
  });
});
