import { Module } from '@nestjs/common';
import { DocumentLinks } from './document-links.js';
import { DocumentRenderer } from './document-renderer.js';

/**
 * PDFs of the association's other documents (issue 7 §1): pledge signing receipts, dues
 * invoices and receipts, settlement agreements. It renders facts and signs check links only;
 * the modules that own the records gather the facts and serve the routes (they import this
 * module, so it must never import them). See docs/documents.md.
 */
@Module({
  providers: [DocumentRenderer, DocumentLinks],
  exports: [DocumentRenderer, DocumentLinks],
})
export class DocumentsModule {}
