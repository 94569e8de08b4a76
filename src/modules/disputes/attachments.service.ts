import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, type EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import { FileStore } from '../files/file-store.service.js';
import { FilesError } from '../files/files.errors.js';
import {
  cleanFileName,
  extensionOf,
  withExtension,
  type UploadedFileData,
} from '../files/uploaded-file.js';
import { DisputesError } from './disputes.errors.js';
import { DisputeAttachment } from './entities/dispute-attachment.entity.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { TicketLookupService } from './ticket-lookup.service.js';
import { seesDetails } from './ticket-view.js';
import {
  mayRead,
  readableVisibilities,
  type MessageVisibility,
  type TicketParty,
} from './visibility.js';

/** Evidence files a complaint may carry (filing evidence, not message attachments). */
export const MAX_EVIDENCE_FILES = 10;

export interface StoreOptions {
  /** The message the file belongs to, or null for filing evidence. */
  messageId: string | null;
  visibility: MessageVisibility;
}

/** An attachment's bytes ready to send, with a name whose extension matches the content. */
export interface AttachmentContent {
  attachment: DisputeAttachment;
  bytes: Buffer;
  downloadName: string;
}

/** An attachment as parties see it in the API and on pages (never where its bytes are). */
export interface AttachmentView {
  id: string;
  messageId: string | null;
  visibility: MessageVisibility;
  uploaderParty: TicketParty;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  href: string;
}

export function toAttachmentView(attachment: DisputeAttachment): AttachmentView {
  return {
    id: attachment.id,
    messageId: attachment.messageId,
    visibility: attachment.visibility,
    uploaderParty: attachment.uploaderParty,
    fileName: attachment.fileName,
    contentType: attachment.contentType,
    sizeBytes: attachment.sizeBytes,
    sha256: attachment.sha256,
    createdAt: attachment.createdAt.toISOString(),
    href: attachmentPath(attachment.ticketId, attachment.id),
  };
}

/** The page route that downloads an attachment (the API has the same under /api/v1/disputes). */
export function attachmentPath(ticketId: string, attachmentId: string): string {
  return `/disputes/tickets/${ticketId}/attachments/${attachmentId}`;
}

/**
 * Files on a ticket: filing evidence and message attachments. The upload rules are those of
 * membership documents: the type comes from the content (PDF, JPEG, PNG, else 415 and nothing
 * kept), the size limit is enforced by the upload interceptor (413) before the service runs, and
 * the bytes go to the content-addressed FileStore. Who may read a file follows its visibility
 * (visibility.ts mayRead), exactly like the message it belongs to.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly files: FileStore,
    private readonly lookup: TicketLookupService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Stores an upload on `ticket` in the caller's transaction. The caller has already checked
   * that `party` may write with `opts.visibility` and that the ticket takes files now. Evidence
   * (messageId null) is limited to MAX_EVIDENCE_FILES current files per ticket.
   */
  async store(
    manager: EntityManager,
    actor: Pick<Actor, 'id'>,
    ticket: Pick<DisputeTicket, 'id'>,
    party: TicketParty,
    file: UploadedFileData | undefined,
    opts: StoreOptions,
  ): Promise<DisputeAttachment> {
    if (!file || file.size === 0 || file.buffer.length === 0) throw new FilesError('FILE_MISSING');
    if (opts.messageId === null) {
      const current = await manager.countBy(DisputeAttachment, {
        ticketId: ticket.id,
        messageId: IsNull(),
        removedAt: IsNull(),
      });
      if (current >= MAX_EVIDENCE_FILES)
        throw new DisputesError('TOO_MANY_ATTACHMENTS', { max: MAX_EVIDENCE_FILES });
    }
    // Refuses anything but PDF, JPEG or PNG (415) before a byte is written.
    const stored = await this.files.put(file.buffer);
    const attachment: DisputeAttachment = {
      id: randomUUID(),
      ticketId: ticket.id,
      messageId: opts.messageId,
      visibility: opts.visibility,
      uploadedBy: actor.id,
      uploaderParty: party,
      fileName: cleanFileName(file.originalname, `attachment.${stored.extension}`),
      contentType: stored.contentType,
      sizeBytes: stored.size,
      sha256: stored.sha256,
      createdAt: new Date(),
      removedAt: null,
    };
    await manager.insert(DisputeAttachment, attachment);
    return attachment;
  }

  /**
   * The current attachments `party` may read, oldest first: the filing evidence when
   * `messageIds` is omitted, else the attachments of those messages.
   */
  async listFor(
    manager: EntityManager,
    ticketId: string,
    party: TicketParty,
    messageIds?: string[],
  ): Promise<DisputeAttachment[]> {
    if (messageIds !== undefined && messageIds.length === 0) return [];
    const visibilities = readableVisibilities(party);
    if (visibilities.length === 0) return [];
    return manager.find(DisputeAttachment, {
      where: {
        ticketId,
        messageId: messageIds === undefined ? IsNull() : In(messageIds),
        visibility: In(visibilities),
        removedAt: IsNull(),
      },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * An attachment's bytes for an actor who may read it. A ticket the actor may not see, an
   * attachment of another ticket, a removed one, one whose visibility excludes the actor, and
   * filing evidence the firm may not see yet (before acceptance) all answer 404 alike.
   */
  async download(actor: Actor, ticketId: string, attachmentId: string): Promise<AttachmentContent> {
    const manager = this.dataSource.manager;
    const { ticket, party } = await this.lookup.findVisible(manager, actor, ticketId);
    const attachment = await manager.findOneBy(DisputeAttachment, {
      id: attachmentId,
      ticketId,
      removedAt: IsNull(),
    });
    if (
      !attachment ||
      !mayRead(party, attachment.visibility) ||
      (attachment.messageId === null && !seesDetails(party, ticket))
    )
      throw new DisputesError('ATTACHMENT_NOT_FOUND');
    const bytes = await this.files.read(attachment.sha256);
    return {
      attachment,
      bytes,
      downloadName: withExtension(attachment.fileName, extensionOf(attachment.contentType)),
    };
  }

  /** Removes a draft's evidence file (the bytes stay in the store; the row is marked removed). */
  async removeEvidence(
    manager: EntityManager,
    ticketId: string,
    attachmentId: string,
  ): Promise<void> {
    const result = await manager.update(
      DisputeAttachment,
      { id: attachmentId, ticketId, messageId: IsNull(), removedAt: IsNull() },
      { removedAt: new Date() },
    );
    if ((result.affected ?? 0) !== 1) throw new DisputesError('ATTACHMENT_NOT_FOUND');
  }
}
