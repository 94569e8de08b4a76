import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import { FileStore } from '../files/file-store.service.js';
import { FilesError } from '../files/files.errors.js';
import {
  cleanFileName,
  extensionOf,
  withExtension,
  type UploadedFileData,
} from '../files/uploaded-file.js';
import { RatingDocument } from './entities/rating-document.entity.js';
import type { RatingSubmission } from './entities/rating-submission.entity.js';
import { RatingsError } from './ratings.errors.js';

/** Current documents a submission (or an appeal) may carry. */
export const MAX_RATING_DOCUMENTS = 20;

export interface RatingDocumentView {
  id: string;
  submissionId: string;
  appealId: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
}

export function toRatingDocumentView(doc: RatingDocument): RatingDocumentView {
  return {
    id: doc.id,
    submissionId: doc.submissionId,
    appealId: doc.appealId,
    fileName: doc.fileName,
    contentType: doc.contentType,
    sizeBytes: doc.sizeBytes,
    sha256: doc.sha256,
    uploadedAt: doc.uploadedAt.toISOString(),
  };
}

/**
 * Supporting documents of submissions and appeals. The upload rules are membership's: the type
 * comes from the content (PDF, JPEG, PNG, else 415 and nothing kept), the size limit is the
 * upload interceptor's (413), the bytes go to the content-addressed FileStore. Callers check who
 * may act; this service only stores, lists, reads and removes.
 */
@Injectable()
export class RatingDocumentsService {
  constructor(private readonly files: FileStore) {}

  /** Stores an upload for the submission (appealId null) or for one of its appeals. */
  async store(
    manager: EntityManager,
    actor: Pick<Actor, 'id'>,
    submission: Pick<RatingSubmission, 'id' | 'firmId'>,
    file: UploadedFileData | undefined,
    appealId: string | null = null,
  ): Promise<RatingDocument> {
    if (!file || file.size === 0 || file.buffer.length === 0) throw new FilesError('FILE_MISSING');
    const current = await manager.countBy(RatingDocument, {
      submissionId: submission.id,
      appealId: appealId ?? IsNull(),
      removedAt: IsNull(),
    });
    if (current >= MAX_RATING_DOCUMENTS)
      throw new RatingsError('TOO_MANY_DOCUMENTS', { max: MAX_RATING_DOCUMENTS });
    const stored = await this.files.put(file.buffer);
    const doc: RatingDocument = {
      id: randomUUID(),
      firmId: submission.firmId,
      submissionId: submission.id,
      appealId,
      fileName: cleanFileName(file.originalname, `document.${stored.extension}`),
      contentType: stored.contentType,
      sizeBytes: stored.size,
      sha256: stored.sha256,
      uploadedBy: actor.id,
      uploadedAt: new Date(),
      removedAt: null,
    };
    await manager.insert(RatingDocument, doc);
    return doc;
  }

  /** Current documents, oldest first: the submission's own, or an appeal's. */
  list(
    manager: EntityManager,
    submissionId: string,
    appealId: string | null = null,
  ): Promise<RatingDocument[]> {
    return manager.find(RatingDocument, {
      where: { submissionId, appealId: appealId ?? IsNull(), removedAt: IsNull() },
      order: { uploadedAt: 'ASC', id: 'ASC' },
    });
  }

  /** A current document of the submission (any appeal's included), or DOCUMENT_NOT_FOUND. */
  async find(manager: EntityManager, submissionId: string, docId: string): Promise<RatingDocument> {
    const doc = await manager.findOneBy(RatingDocument, {
      id: docId,
      submissionId,
      removedAt: IsNull(),
    });
    if (!doc) throw new RatingsError('DOCUMENT_NOT_FOUND');
    return doc;
  }

  async content(
    manager: EntityManager,
    submissionId: string,
    docId: string,
  ): Promise<{ document: RatingDocument; bytes: Buffer; downloadName: string }> {
    const document = await this.find(manager, submissionId, docId);
    const bytes = await this.files.read(document.sha256);
    return {
      document,
      bytes,
      downloadName: withExtension(document.fileName, extensionOf(document.contentType)),
    };
  }

  /** Removes a submission document (the bytes stay in the store as evidence). */
  async remove(
    manager: EntityManager,
    submissionId: string,
    docId: string,
  ): Promise<RatingDocument> {
    const doc = await this.find(manager, submissionId, docId);
    if (doc.appealId !== null) throw new RatingsError('DOCUMENT_NOT_FOUND');
    await manager.update(RatingDocument, { id: docId }, { removedAt: new Date() });
    return doc;
  }
}
