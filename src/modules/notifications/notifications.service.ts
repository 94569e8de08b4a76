import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import Handlebars from 'handlebars';
import nodemailer, { type Transporter } from 'nodemailer';
import { IsNull, LessThanOrEqual, Or, type EntityManager, type Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import type { Locale } from '../../common/i18n/i18n.js';
import { JsonLogger } from '../../common/logging/json-logger.js';
import { TEMPLATES_DIR } from '../../common/views/view.service.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { Notification } from './entities/notification.entity.js';
import { OutboxEmail } from './entities/outbox-email.entity.js';
import { NotificationsError } from './notifications.errors.js';

export interface EmailRequest {
  to: string;
  /** Name under templates/emails/: `<template>.<locale>.hbs`, first line `Subject: ...`. */
  template: string;
  locale: Locale;
  context: Record<string, unknown>;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface InAppNotice {
  userId: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  /** A path on this site (`/...`); anything else is refused, the page renders it as a link. */
  link?: string | null;
}

/** A notification as its owner reads it (API and page). */
export interface NotificationItem {
  id: string;
  kind: string;
  title: { 'zh-CN': string; en: string };
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage {
  items: NotificationItem[];
  nextCursor: string | null;
}

export const NOTIFICATION_PAGE_MAX = 100;
export const NOTIFICATION_PAGE_DEFAULT = 20;

/** How often pending e-mails are looked at again (a failed one waits for its back-off too). */
export const RETRY_INTERVAL_MS = 30_000;
/** After this many failed SMTP attempts an e-mail stays `failed` for an operator to look at. */
export const MAX_ATTEMPTS = 8;
/** Back-off after the n-th failure: 30 s, 1 min, 2 min ... at most an hour (about 1 h in all). */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_INTERVAL_MS * 2 ** Math.max(0, attempts - 1), 3_600_000);
}
/** A claimed e-mail is left alone this long; longer than one SMTP exchange can take. */
const LEASE_MS = 5 * 60_000;
const BATCH = 50;

const SUBJECT_MAX = 300;
const SUBJECT_PREFIX = 'Subject:';

interface EmailTemplate {
  subject: Handlebars.TemplateDelegate;
  body: Handlebars.TemplateDelegate;
}

export function toNotificationItem(notice: Notification): NotificationItem {
  return {
    id: notice.id,
    kind: notice.kind,
    title: { 'zh-CN': notice.titleZh, en: notice.titleEn },
    link: notice.link,
    createdAt: notice.createdAt.toISOString(),
    readAt: notice.readAt?.toISOString() ?? null,
  };
}

/**
 * E-mail and in-app notifications. E-mails are rendered from templates/emails and written to the
 * outbox inside the caller's transaction (so a rolled-back change sends nothing); delivery by
 * SMTP happens after commit, and a timer retries what failed. Without SMTP_URL they are kept in
 * the outbox and logged.
 *
 * Not audited: queuing an e-mail or a notice (it is the consequence of a change its caller
 * audits in the same transaction) and delivery bookkeeping (the outbox row is the record).
 * Marking a notice read is the owner's own change and is audited.
 */
@Injectable()
export class NotificationsService implements OnModuleInit, OnModuleDestroy {
  private readonly hbs = Handlebars.create();
  private readonly templates = new Map<string, EmailTemplate>();
  private readonly transport: Transporter | null;
  private delivering: Promise<void> | null = null;
  private deliverAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    @InjectRepository(OutboxEmail) private readonly outbox: Repository<OutboxEmail>,
    @InjectRepository(Notification) private readonly notices: Repository<Notification>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly logger: JsonLogger,
  ) {
    this.transport = config.SMTP_URL
      ? nodemailer.createTransport({
          url: config.SMTP_URL,
          // nodemailer's defaults (2 min to connect, 10 min idle) would hold a delivery pass,
          // and shutdown, far longer than a healthy server ever needs.
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 60_000,
        })
      : null;
  }

  onModuleInit(): void {
    if (!this.transport) return;
    this.timer = setInterval(() => void this.deliverPending(), RETRY_INTERVAL_MS);
    // The timer alone must not keep the process (a CLI command, a test) alive.
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Let a pass in flight finish before the data source closes under it.
    await this.delivering;
    this.transport?.close();
  }

  /** Renders `{subject, text, html}` for an e-mail without storing anything. */
  render(request: EmailRequest): RenderedEmail {
    const template = this.template(`${request.template}.${request.locale}`);
    const context = { appUrl: this.config.PUBLIC_URL, ...request.context };
    // Templates render unescaped: the text part must read exactly as written. The HTML part is
    // escaped as a whole afterwards, user data and template text alike.
    const subject = template.subject(context).replace(/\s+/g, ' ').trim().slice(0, SUBJECT_MAX);
    const text = template.body(context).replace(/\r\n/g, '\n').trim() + '\n';
    return { subject, text, html: this.toHtml(text, request.locale) };
  }

  /** Queues an e-mail in the caller's transaction; it is sent once that transaction commits. */
  async queueEmail(manager: EntityManager, request: EmailRequest): Promise<OutboxEmail> {
    const { subject, text, html } = this.render(request);
    const email = manager.create(OutboxEmail, {
      id: randomUUID(),
      recipient: request.to,
      template: request.template,
      locale: request.locale,
      subject,
      textBody: text,
      htmlBody: html,
      status: this.transport ? 'pending' : 'kept',
      attempts: 0,
      lastError: null,
      createdAt: new Date(),
      sentAt: null,
      nextAttemptAt: null,
    });
    await manager.insert(OutboxEmail, email);
    if (this.transport) {
      this.tx.afterCommit(() => this.deliverPending());
    } else {
      this.logger.event('info', 'email.kept', {
        id: email.id,
        to: email.recipient,
        template: email.template,
        subject,
      });
    }
    return email;
  }

  /**
   * Sends what is due. Safe to call at any time: one pass runs at a time, and a call during a
   * pass makes it go round once more, so an e-mail queued meanwhile is not left for the timer.
   * Never rejects; the returned promise settles when no more passes are wanted.
   */
  deliverPending(): Promise<void> {
    if (this.delivering) {
      this.deliverAgain = true;
      return this.delivering;
    }
    this.delivering = this.runPasses();
    return this.delivering;
  }

  private async runPasses(): Promise<void> {
    for (;;) {
      this.deliverAgain = false;
      try {
        await this.deliverDue();
      } catch (error) {
        this.logger.event('error', 'email.delivery_pass_failed', { error: String(error) });
      }
      // Cleared in the same tick as the decision to stop, so no later call can be missed.
      if (!this.deliverAgain || this.stopped) {
        this.delivering = null;
        return;
      }
    }
  }

  private async deliverDue(): Promise<void> {
    if (!this.transport || this.stopped) return;
    for (;;) {
      const now = new Date();
      const due = await this.outbox.find({
        where: { status: 'pending', nextAttemptAt: Or(IsNull(), LessThanOrEqual(now)) },
        order: { createdAt: 'ASC' },
        take: BATCH,
      });
      for (const email of due) {
        if (this.stopped) return;
        if (await this.claim(email, now)) await this.send(this.transport, email);
      }
      // Claimed, sent and backed-off rows all drop out of the query, so this ends.
      if (due.length < BATCH) return;
    }
  }

  /** Takes the e-mail for this process; false when another sender (or pass) got it first. */
  private async claim(email: OutboxEmail, now: Date): Promise<boolean> {
    const result = await this.tx.run((m) =>
      m.update(
        OutboxEmail,
        { id: email.id, status: 'pending', nextAttemptAt: Or(IsNull(), LessThanOrEqual(now)) },
        { nextAttemptAt: new Date(Date.now() + LEASE_MS) },
      ),
    );
    return result.affected === 1;
  }

  private async send(transport: Transporter, email: OutboxEmail): Promise<void> {
    const attempts = email.attempts + 1;
    try {
      await transport.sendMail({
        from: this.config.MAIL_FROM,
        to: email.recipient,
        subject: email.subject,
        text: email.textBody,
        html: email.htmlBody,
      });
    } catch (error) {
      const failed = attempts >= MAX_ATTEMPTS;
      await this.tx.run((m) =>
        m.update(
          OutboxEmail,
          { id: email.id },
          {
            attempts,
            lastError: String(error).slice(0, 1000),
            status: failed ? 'failed' : 'pending',
            nextAttemptAt: failed ? null : new Date(Date.now() + retryDelayMs(attempts)),
          },
        ),
      );
      this.logger.event(failed ? 'error' : 'warn', 'email.failed', {
        id: email.id,
        attempts,
        final: failed,
        error: String(error),
      });
      return;
    }
    await this.tx.run((m) =>
      m.update(
        OutboxEmail,
        { id: email.id },
        { status: 'sent', sentAt: new Date(), attempts, nextAttemptAt: null },
      ),
    );
    this.logger.event('info', 'email.sent', { id: email.id, template: email.template, attempts });
  }

  /** Adds an in-app notification in the caller's transaction. */
  async notify(manager: EntityManager, notice: InAppNotice): Promise<void> {
    const link = notice.link ?? null;
    // Only paths on this site: a stored `javascript:` or off-site URL would become a live link.
    if (link !== null && !/^\/(?![/\\])/.test(link))
      throw new Error(`Notification link must be a local path: ${link}`);
    await manager.insert(Notification, {
      id: randomUUID(),
      userId: notice.userId,
      kind: notice.kind,
      titleZh: notice.titleZh,
      titleEn: notice.titleEn,
      link,
      createdAt: new Date(),
      readAt: null,
    });
  }

  /** One page of a user's own notifications, newest first (keyset on createdAt, id). */
  async page(
    userId: string,
    options: { cursor?: string; limit?: number } = {},
  ): Promise<NotificationPage> {
    const limit = Math.min(
      Math.max(options.limit ?? NOTIFICATION_PAGE_DEFAULT, 1),
      NOTIFICATION_PAGE_MAX,
    );
    const qb = this.notices.createQueryBuilder('n').where('n.userId = :userId', { userId });
    if (options.cursor !== undefined) {
      const after = decodeCursor(options.cursor);
      qb.andWhere('(n.createdAt < :at OR (n.createdAt = :at AND n.id < :id))', after);
    }
    const rows = await qb
      .orderBy('n.createdAt', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = rows.slice(0, limit).map(toNotificationItem);
    return {
      items,
      nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null,
    };
  }

  /** Unread in-app notifications of one user (the home page shows the count). */
  countUnread(userId: string): Promise<number> {
    return this.notices.countBy({ userId, readAt: IsNull() });
  }

  /**
   * Marks the caller's own notification read (again is a no-op). Anyone else's id is "not
   * found", so nobody learns which ids exist.
   */
  async markRead(
    actor: Pick<Actor, 'id' | 'role'>,
    id: string,
    meta: Partial<RequestMeta>,
  ): Promise<NotificationItem> {
    return this.tx.run(async (manager) => {
      const notice = await manager.findOneBy(Notification, { id, userId: actor.id });
      if (!notice) throw new NotificationsError('NOTIFICATION_NOT_FOUND');
      if (notice.readAt) return toNotificationItem(notice);
      notice.readAt = new Date();
      await manager.update(Notification, { id, readAt: IsNull() }, { readAt: notice.readAt });
      await this.audit.record(manager, {
        actor,
        action: 'notifications.read',
        subjectType: 'notification',
        subjectId: id,
        summary: { kind: notice.kind },
        meta,
      });
      return toNotificationItem(notice);
    });
  }

  private template(name: string): EmailTemplate {
    const cached = this.templates.get(name);
    if (cached) return cached;
    const file = join(TEMPLATES_DIR, 'emails', `${name}.hbs`);
    if (!existsSync(file)) throw new Error(`No e-mail template ${name}`);
    const source = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    const newline = source.indexOf('\n');
    const first = newline === -1 ? source : source.slice(0, newline);
    if (!first.startsWith(SUBJECT_PREFIX))
      throw new Error(`E-mail template ${name} must start with "Subject:"`);
    const options = { strict: true, noEscape: true };
    const template: EmailTemplate = {
      subject: this.hbs.compile(first.slice(SUBJECT_PREFIX.length).trim(), options),
      body: this.hbs.compile(newline === -1 ? '' : source.slice(newline + 1), options),
    };
    this.templates.set(name, template);
    return template;
  }

  /** Paragraphs from blank lines, line breaks kept, everything escaped; our own URLs linked. */
  private toHtml(text: string, locale: Locale): string {
    const paragraphs = text
      .trim()
      .split(/\n{2,}/)
      .map((paragraph) => `<p>${this.linkOwnUrls(paragraph).replace(/\n/g, '<br>\n')}</p>`);
    return `<!doctype html>\n<html lang="${locale}">\n<head><meta charset="utf-8"></head>\n<body>\n${paragraphs.join('\n')}\n</body>\n</html>\n`;
  }

  /**
   * Turns links to this site into anchors. Other URLs stay text: user data (a firm's name, a
   * complaint's title) could carry one, and a clickable off-site link in our mail is phishing.
   */
  private linkOwnUrls(raw: string): string {
    const base = this.config.PUBLIC_URL.replace(/\/+$/, '');
    const pattern = new RegExp(
      `${escapeRegExp(base)}(?:[/?#][A-Za-z0-9\\-._~:/?#@!$&*+,;=%]*)?`,
      'g',
    );
    let out = '';
    let last = 0;
    for (const match of raw.matchAll(pattern)) {
      const url = match[0].replace(/[.,;:!?]+$/, '');
      out +=
        escapeHtml(raw.slice(last, match.index)) +
        `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
      last = match.index + url.length;
    }
    return out + escapeHtml(raw.slice(last));
  }
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function encodeCursor(notice: NotificationItem): string {
  return Buffer.from(`${notice.createdAt}|${notice.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at);
  if (rest.length > 0 || !id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime())) {
    throw new NotificationsError('CURSOR_INVALID');
  }
  return { at: date, id };
}
