import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { isStaff } from '../../common/auth/roles.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { FileStore } from '../files/file-store.service.js';
import { FilesError } from '../files/files.errors.js';
import {
  cleanFileName,
  extensionOf,
  withExtension,
  type UploadedFileData,
} from '../files/uploaded-file.js';
import { FirmDocument, type DocumentKind } from './entities/firm-document.entity.js';
import { Firm } from './entities/firm.entity.js';
import { assertFirmAdmin } from './firm-access.js';
import { maySeeFirm } from '../../common/auth/roles.js';
import { MembershipError } from './membership.errors.js';

/** A document as the firm and staff see it (never where its bytes are). */
export interface DocumentView {
  id: string;
  firmId: string;
  kind: DocumentKind;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  removedAt: string | null;
}

export function toDocumentView(doc: FirmDocument): DocumentView {
  return {
    id: doc.id,
    firmId: doc.firmId,
    kind: doc.kind,
    fileName: doc.fileName,
    contentType: doc.contentType,
    sizeBytes: doc.sizeBytes,
    sha256: doc.sha256,
    uploadedBy: doc.uploadedBy,
    uploadedAt: doc.uploadedAt.toISOString(),
    removedAt: doc.removedAt?.toISOString() ?? null,
  };
}

/** A document's bytes ready to send: the stored content type and a name that matches it. */
export interface DocumentContent {
  document: FirmDocument;
  downloadName: string;
  bytes: Buffer;
}

/**
 * A firm's documents (issue 3 §2). The bytes go to the content-addressed FileStore; the row
 * says whose they are, what kind, and the type found in the content. Only the firm's users and
 * staff see them; removing one hides it from the firm but keeps the bytes and the row, because
 * a document may be evidence in a later review, sanction or dispute.
 */
@Injectable()
export class DocumentsService {
  constructor(
    @InjectRepository(FirmDocument) private readonly documents: Repository<FirmDocument>,
    @InjectRepository(Firm) private readonly firms: Repository<Firm>,
    private readonly files: FileStore,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  /** The firm's current (not removed) documents, newest first; 404 for a firm the actor may not see. */
  async listForFirm(actor: Actor, firmId: string): Promise<FirmDocument[]> {
    await this.assertVisibleFirm(actor, firmId);
    return this.documents.find({
      where: { firmId, removedAt: IsNull() },
      order: { uploadedAt: 'DESC', id: 'ASC' },
    });
  }

  /** Whether the firm has a current document of this kind. */
  async hasDocument(firmId: string, kind: DocumentKind): Promise<boolean> {
    return this.documents.existsBy({ firmId, kind, removedAt: IsNull() });
  }

  /** One document's record; staff also see removed ones. */
  async find(actor: Actor, firmId: string, id: string): Promise<FirmDocument> {
    await this.assertVisibleFirm(actor, firmId);
    const doc = await this.documents.findOneBy({ id, firmId });
    if (!doc || (doc.removedAt !== null && !isStaff(actor.role)))
      throw new MembershipError('DOCUMENT_NOT_FOUND');
    return doc;
  }

  /**
   * Stores an upload for the firm. The type comes from the content (PDF, JPEG, PNG); anything
   * else is refused with 415 before a byte is written. Over-size uploads never get here: the
   * upload limit refuses them (413) while they are still arriving.
   */
  async upload(
    actor: Actor,
    firmId: string,
    kind: DocumentKind,
    file: UploadedFileData | undefined,
    meta: Partial<RequestMeta> = {},
  ): Promise<FirmDocument> {
    assertFirmAdmin(actor, firmId);
    if (!file || file.size === 0) throw new FilesError('FILE_MISSING');
    // Outside the transaction: writing bytes must not hold SQLite's single writer. Should the
    // transaction then fail, the stored bytes are merely unreferenced.
    const stored = await this.files.put(file.buffer);
    return this.tx.run(async (manager) => {
      if (!(await manager.existsBy(Firm, { id: firmId })))
        throw new MembershipError('FIRM_NOT_FOUND');
      const doc = manager.create(FirmDocument, {
        id: randomUUID(),
        firmId,
        kind,
        fileName: cleanFileName(file.originalname, `${kind}.${stored.extension}`),
        contentType: stored.contentType,
        sizeBytes: stored.size,
        sha256: stored.sha256,
        uploadedBy: actor.id,
        uploadedAt: new Date(),
        removedAt: null,
      });
      await manager.insert(FirmDocument, doc);
      await this.audit.record(manager, {
        actor,
        action: 'membership.document_uploaded',
        subjectType: 'firm',
        subjectId: firmId,
        summary: {
          documentId: doc.id,
          kind,
          contentType: doc.contentType,
          sizeBytes: doc.sizeBytes,
          sha256: doc.sha256,
        },
        meta,
      });
      return doc;
    });
  }

  /** The bytes of a document the actor may see. */
  async content(actor: Actor, firmId: string, id: string): Promise<DocumentContent> {
    const document = await this.find(actor, firmId, id);
    const bytes = await this.files.read(document.sha256);
    return {
      document,
      downloadName: withExtension(document.fileName, extensionOf(document.contentType)),
      bytes,
    };
  }

  /** Hides a document from the firm; the row and the bytes stay. */
  async remove(
    actor: Actor,
    firmId: string,
    id: string,
    meta: Partial<RequestMeta> = {},
  ): Promise<void> {
    assertFirmAdmin(actor, firmId);
    await this.tx.run(async (manager) => {
      const doc = await manager.findOneBy(FirmDocument, { id, firmId, removedAt: IsNull() });
      if (!doc) throw new MembershipError('DOCUMENT_NOT_FOUND');
      const result = await manager.update(
        FirmDocument,
        { id, removedAt: IsNull() },
        { removedAt: new Date() },
      );
      if ((result.affected ?? 0) !== 1) throw new MembershipError('DOCUMENT_NOT_FOUND');
      await this.audit.record(manager, {
        actor,
        action: 'membership.document_removed',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { documentId: id, kind: doc.kind, sha256: doc.sha256 },
        meta,
      });
    });
  }

  private async assertVisibleFirm(actor: Actor, firmId: string): Promise<void> {
    if (!maySeeFirm(actor, firmId) || !(await this.firms.existsBy({ id: firmId })))
      throw new MembershipError('FIRM_NOT_FOUND');
  }
}
