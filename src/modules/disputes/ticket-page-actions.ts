import type { Response } from 'express';
import { CommonError, DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';
import { isMessageKey, translate, type Locale } from '../../common/i18n/i18n.js';
import type { PageRenderer } from '../../common/views/page-renderer.service.js';
import { FilesError, type FilesErrorCode } from '../files/files.errors.js';
import { disputesErrorSpec } from './disputes.errors.js';

/** Common refusals a ticket-page form can meet besides the module's own. */
const COMMON_NOTICES = ['CONFLICT', 'FORBIDDEN', 'VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE'] as const;
/** Upload refusals (a message's attachments). */
const FILE_NOTICES: readonly FilesErrorCode[] = ['UNSUPPORTED_FILE_TYPE', 'FILE_MISSING'];

function noticeSpec(code: string): ErrorSpec | null {
  if ((COMMON_NOTICES as readonly string[]).includes(code))
    return new CommonError(code as (typeof COMMON_NOTICES)[number]).spec;
  if ((FILE_NOTICES as readonly string[]).includes(code))
    return new FilesError(code as FilesErrorCode).spec;
  return disputesErrorSpec(code);
}

export function ticketPath(ticketId: string): string {
  return `/disputes/tickets/${ticketId}`;
}

/**
 * Runs the action behind one of the ticket page's small forms (accept, post a message, record
 * performance...) and sends the person back to the ticket page: with `?done=<key>` when it
 * worked, or `?error=<CODE>` when it was refused, so the page can say why at the section
 * (`#anchor`). `work` returns the catalogue key, minus its `disputes.` prefix, of the success
 * message (e.g. 'workflow.done.accepted'). Not-found and server errors still become error pages.
 */
export async function runTicketAction(
  pages: PageRenderer,
  res: Response,
  ticketId: string,
  anchor: string,
  work: () => Promise<string>,
): Promise<void> {
  const back = ticketPath(ticketId);
  try {
    const done = await work();
    pages.redirect(res, `${back}?done=${encodeURIComponent(done)}#${anchor}`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const refused = error as DomainError<string>;
    const status = refused.spec.status;
    const code: string = refused.code;
    if (status < 400 || status >= 500 || status === 401 || status === 404 || !noticeSpec(code))
      throw error;
    pages.redirect(res, `${back}?error=${encodeURIComponent(code)}#${anchor}`);
  }
}

export interface TicketNotice {
  kind: 'success' | 'error';
  message: string;
}

/** The notice a ticket page shows for its `done` / `error` query parameters (unknown ones: none). */
export function ticketNotice(
  locale: Locale,
  query: { done?: unknown; error?: unknown },
): TicketNotice | null {
  if (typeof query.error === 'string') {
    const spec = noticeSpec(query.error);
    if (spec) return { kind: 'error', message: locale === 'en' ? spec.en : spec.zh };
  }
  if (typeof query.done === 'string') {
    const key = `disputes.${query.done}`;
    if (isMessageKey(key)) return { kind: 'success', message: translate(locale, key) };
  }
  return null;
}
