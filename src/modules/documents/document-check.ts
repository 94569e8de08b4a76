import type { Response } from 'express';
import type { Actor } from '../../common/auth/auth-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import type { CheckedDocument } from './document-links.js';

/**
 * Who the public check reads a record as, once the link's token has proved that the association
 * issued the document: a reader that sees every record, so the owning service's own lookup is
 * reused. The page then shows only the few facts listed in DocumentCheckView.
 */
export const DOCUMENT_CHECK_READER: Actor = {
  id: '00000000-0000-0000-0000-000000000000',
  role: 'staff_reviewer',
  firmId: null,
  name: 'document check',
  email: '',
};

export interface DocumentCheckRow {
  /** A catalogue key (documentPdf.field.*). */
  label: string;
  value: string;
  code?: boolean;
}

/** What the public check page shows of a document. */
export interface DocumentCheckView {
  kind: CheckedDocument;
  status: string;
  /** The status label's catalogue key. */
  statusKey: string;
  tone: 'ok' | 'warn' | 'bad';
  rows: DocumentCheckRow[];
}

/** The context of templates/pages/documents/verify.hbs. */
export function documentCheckContext(locale: Locale, view: DocumentCheckView) {
  return {
    titleKey: 'documentPdf.title',
    kind: view.kind,
    kindLabel: translate(locale, `documentPdf.kind.${view.kind}`),
    status: view.status,
    statusLabel: translate(locale, view.statusKey),
    statusTone: view.tone,
    rows: view.rows.map((row) => ({
      label: translate(locale, row.label),
      value: row.value,
      code: row.code === true,
    })),
  };
}

/** Check pages are for people holding the paper, not for search engines or shared caches. */
export function documentCheckHeaders(res: Response): void {
  res.setHeader('X-Robots-Tag', 'noindex');
  res.setHeader('Cache-Control', 'no-store');
}
