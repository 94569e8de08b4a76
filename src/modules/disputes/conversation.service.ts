import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { TransactionService } from '../../database/transaction.service.js';
import type { UploadedFileData } from '../files/uploaded-file.js';
import { UsersService } from '../users/users.service.js';
import {
  AttachmentsService,
  toAttachmentView,
  type AttachmentView,
} from './attachments.service.js';
import { DisputesError } from './disputes.errors.js';
import { MESSAGE_MAX_CHARS } from './dto/dispute-message.dto.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { DisputeMessage } from './entities/dispute-message.entity.js';
import { isActive } from './ticket-access.js';
import { TicketEventsService } from './ticket-events.service.js';
import { TicketLookupService } from './ticket-lookup.service.js';
import { maskName } from './ticket-view.js';
import {
  isMessageVisibility,
  mayWrite,
  readableVisibilities,
  type MessageVisibility,
  type TicketParty,
} from './visibility.js';
import { WorkflowNotices, type NoticeAudience } from './workflow-notices.js';

/** Files one message may carry. */
export const MAX_MESSAGE_FILES = 5;

export interface MessageView {
  id: string;
  authorUserId: string;
  authorName: string | null;
  authorParty: TicketParty;
  visibility: MessageVisibility;
  body: string;
  createdAt: string;
  attachments: AttachmentView[];
}

/**
 * Who hears of a new message: the parties who may read it, except the author's own side.
 * Staff read everything on the dashboard and are not notified of each message.
 */
export function messageAudience(
  visibility: MessageVisibility,
  author: TicketParty,
): NoticeAudience {
  const readers: NoticeAudience = {
    parties: { complainant: true, firmAdmins: true, mediator: true },
    internal: { mediator: true },
    caucus_complainant: { complainant: true, mediator: true },
    caucus_firm: { firmAdmins: true, mediator: true },
  }[visibility];
  return {
    complainant: (readers.complainant ?? false) && author !== 'complainant',
    firmAdmins: (readers.firmAdmins ?? false) && author !== 'firm',
    mediator: (readers.mediator ?? false) && author !== 'mediator',
  };
}

/**
 * The ticket's conversation. Who may post and read what is visibility.ts alone (mayWrite,
 * readableVisibilities): lists query only the visibilities the reader may read. Posting records
 * a history entry without the body (internal and caucus ones for the mediator and staff only)
 * and never touches a clock.
 */
@Injectable()
export class ConversationService {
  constructor(
    private readonly tx: TransactionService,
    private readonly lookup: TicketLookupService,
    private readonly events: TicketEventsService,
    private readonly attachments: AttachmentsService,
    private readonly users: UsersService,
    private readonly notices: WorkflowNotices,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async post(
    actor: Actor,
    ticketId: string,
    input: { body: string; visibility: string },
    files: UploadedFileData[] = [],
    meta?: RequestMeta,
  ): Promise<MessageView> {
    const body = input.body.trim();
    if (body === '' || body.length > MESSAGE_MAX_CHARS) throw new DisputesError('MESSAGE_EMPTY');
    if (files.length > MAX_MESSAGE_FILES)
      throw new DisputesError('TOO_MANY_ATTACHMENTS', { max: MAX_MESSAGE_FILES });
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(manager, actor, ticketId);
      const visibility = input.visibility;
      if (!isMessageVisibility(visibility) || !mayWrite(party, visibility))
        throw new DisputesError('VISIBILITY_NOT_ALLOWED');
      if (!isActive(ticket)) throw new DisputesError('TICKET_NOT_ACTIVE');
      // A mediator who has only been offered the case has not confirmed being free of conflict.
      if (party === 'mediator' && ticket.assignment !== 'accepted')
        throw new CommonError('FORBIDDEN');
      const caucus = visibility === 'caucus_complainant' || visibility === 'caucus_firm';
      if (caucus && ticket.assignment !== 'accepted') throw new DisputesError('NO_MEDIATOR');
      const message: DisputeMessage = {
        id: randomUUID(),
        ticketId: ticket.id,
        authorUserId: actor.id,
        authorParty: party,
        visibility,
        body,
        createdAt: new Date(),
      };
      await manager.insert(DisputeMessage, message);
      const stored = [];
      for (const file of files)
        stored.push(
          await this.attachments.store(manager, actor, ticket, party, file, {
            messageId: message.id,
            visibility: message.visibility,
          }),
        );
      await this.events.record(manager, {
        ticket,
        actor,
        party,
        action: 'message_posted',
        // Never the body: the history says that a message was posted, and to whom.
        detail: { messageId: message.id, visibility: message.visibility, files: stored.length },
        audience: message.visibility === 'parties' ? 'all' : 'internal',
        meta,
      });
      await this.notices.tell(manager, ticket, messageAudience(message.visibility, party), {
        kind: 'disputes.message',
        key: 'disputes.conversation.notice.message',
        template: 'dispute-workflow-update',
      });
      return this.view(message, actor.name, stored.map(toAttachmentView));
    });
  }

  async list(actor: Actor, ticketId: string): Promise<MessageView[]> {
    const manager = this.dataSource.manager;
    const { ticket, party } = await this.lookup.findVisible(manager, actor, ticketId);
    return this.readable(manager, ticket, party);
  }

  /** The messages `party` may read, oldest first, with their readable attachments. */
  async readable(
    manager: EntityManager,
    ticket: DisputeTicket,
    party: TicketParty,
  ): Promise<MessageView[]> {
    const visibilities = readableVisibilities(party);
    if (visibilities.length === 0) return [];
    const messages = await manager.find(DisputeMessage, {
      where: { ticketId: ticket.id, visibility: In(visibilities) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    const files = await this.attachments.listFor(
      manager,
      ticket.id,
      party,
      messages.map((m) => m.id),
    );
    const names = new Map<string, string | null>();
    for (const id of new Set(messages.map((m) => m.authorUserId)))
      names.set(id, (await this.users.findById(id))?.name ?? null);
    // The firm learns who the complainant is only once the mediator releases contact details.
    const masked = party === 'firm' && ticket.contactReleasedAt === null;
    const nameOf = (m: DisputeMessage): string | null => {
      const name = names.get(m.authorUserId) ?? null;
      return masked && m.authorParty === 'complainant' && name !== null ? maskName(name) : name;
    };
    return messages.map((m) =>
      this.view(m, nameOf(m), files.filter((f) => f.messageId === m.id).map(toAttachmentView)),
    );
  }

  private view(
    m: DisputeMessage,
    authorName: string | null,
    attachments: AttachmentView[],
  ): MessageView {
    return {
      id: m.id,
      authorUserId: m.authorUserId,
      authorName,
      authorParty: m.authorParty,
      visibility: m.visibility,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
      attachments,
    };
  }
}
