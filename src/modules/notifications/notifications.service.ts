import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import Handlebars from 'handlebars';
import nodemailer, { type Transporter } from 'nodemailer';
import { In, IsNull, type EntityManager, type Repository } from 'typeorm';
import type { Locale } from '../../common/i18n/i18n.js';
import { JsonLogger } from '../../common/logging/json-logger.js';
import { TEMPLATES_DIR } from '../../common/views/view.service.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { Notification } from './entities/notification.entity.js';
import { OutboxEmail } from './entities/outbox-email.entity.js';

export interface EmailRequest {
  to: string;
  /** Name under templates/emails/: `<template>.<locale>.hbs`, first line `Subject: ...`. */
  template: string;
  locale: Locale;
  context: Record<string, unknown>;
}

export interface InAppNotice {
  userId: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  link?: string | null;
}

/** After this many failed SMTP attempts an e-mail stays `failed` for an operator to look at. */
const MAX_ATTEMPTS = 5;

/**
 * E-mail and in-app notifications. E-mails are rendered from templates/emails and written to the
 * outbox inside the caller's transaction (so a rolled-back change sends nothing); delivery by
 * SMTP happens after commit. Without SMTP_URL they are kept in the outbox and logged.
 */
@Injectable()
export class NotificationsService implements OnModuleDestroy {
  private readonly hbs = Handlebars.create();
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();
  private readonly transport: Transporter | null;
  private delivering: Promise<void> | null = null;

  constructor(
    @InjectRepository(OutboxEmail) private readonly outbox: Repository<OutboxEmail>,
    @InjectRepository(Notification) private readonly notices: Repository<Notification>,
    private readonly tx: TransactionService,
    private readonly config: AppConfig,
    private readonly logger: JsonLogger,
  ) {
    this.transport = config.SMTP_URL ? nodemailer.createTransport(config.SMTP_URL) : null;
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  /** Renders `{subject, text, html}` for an e-mail without storing anything. */
  render(request: EmailRequest): { subject: string; text: string; html: string } {
    const name = `${request.template}.${request.locale}`;
    let template = this.templates.get(name);
    if (!template) {
      const file = join(TEMPLATES_DIR, 'emails', `${name}.hbs`);
      if (!existsSync(file)) throw new Error(`No e-mail template ${name}`);
      template = this.hbs.compile(readFileSync(file, 'utf8'), { strict: true });
      this.templates.set(name, template);
    }
    const context = { appUrl: this.config.PUBLIC_URL, ...request.context };
    const rendered = template(context);
    const [first, ...rest] = rendered.split('\n');
    if (!first.startsWith('Subject:')) throw new Error(`E-mail template ${name} must start with "Subject:"`);
    const text = rest.join('\n').trim() + '\n';
    // The text body is already HTML-escaped by Handlebars; the HTML part wraps it in paragraphs.
    const html = text
      .split(/\n{2,}/)
      .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
      .join('\n');
    return { subject: first.slice('Subject:'.length).trim(), text: unescapeHtml(text), html };
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
    });
    await manager.insert(OutboxEmail, email);
    if (this.transport) {
      this.tx.afterCommit(() => this.deliverPending());
    } else {
      this.logger.event('info', 'email.kept', { id: email.id, to: email.recipient, template: email.template, subject });
    }
    return email;
  }

  /** Sends what is pending. Safe to call repeatedly; one delivery pass runs at a time. */
  deliverPending(): Promise<void> {
    this.delivering ??= this.deliverOnce().finally(() => {
      this.delivering = null;
    });
    return this.delivering;
  }

  private async deliverOnce(): Promise<void> {
    if (!this.transport) return;
    const pending = await this.outbox.find({
      where: { status: In(['pending']), sentAt: IsNull() },
      order: { createdAt: 'ASC' },
      take: 50,
    });
    for (const email of pending) {
      try {
        await this.transport.sendMail({
          from: this.config.MAIL_FROM,
          to: email.recipient,
          subject: email.subject,
          text: email.textBody,
          html: email.htmlBody,
        });
        await this.tx.run((m) =>
          m.update(OutboxEmail, { id: email.id }, { status: 'sent', sentAt: new Date(), attempts: email.attempts + 1 }),
        );
      } catch (error) {
        const attempts = email.attempts + 1;
        await this.tx.run((m) =>
          m.update(
            OutboxEmail,
            { id: email.id },
            { attempts, lastError: String(error).slice(0, 1000), status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending' },
          ),
        );
        this.logger.event('warn', 'email.failed', { id: email.id, attempts, error: String(error) });
      }
    }
  }

  /** Adds an in-app notification in the caller's transaction. */
  async notify(manager: EntityManager, notice: InAppNotice): Promise<void> {
    await manager.insert(Notification, {
      id: randomUUID(),
      userId: notice.userId,
      kind: notice.kind,
      titleZh: notice.titleZh,
      titleEn: notice.titleEn,
      link: notice.link ?? null,
      createdAt: new Date(),
      readAt: null,
    });
  }

  listFor(userId: string, limit = 50): Promise<Notification[]> {
    return this.notices.find({ where: { userId }, order: { createdAt: 'DESC' }, take: Math.min(limit, 100) });
  }
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x60;/g, '`')
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&');
}
