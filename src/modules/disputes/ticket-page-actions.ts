import type { Response } from 'express';
import { CommonError, DomainError } from '../../common/errors/domain-error.js';
import { isMessageKey, translate, type Locale } from '../../common/i18n/i18n.js';
import type { PageRenderer } from '../../common/views/page-renderer.service.js';
import { disputesErrorSpec } from './disputes.errors.js';

/** Common refusals a ticket-page form can meet besides the module's own. */
const COMMON_NOTICES = ['CONFLICT', 'FORBIDDEN', 'VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE'] as const;

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
    const refusal =
      error instanceof DomainError &&
      error.spec.status >= 400 &&
      error.spec.status < 500 &&
      error.spec.status !== 401 &&
      error.spec.status !== 404 &&
      (disputesErrorSpec(error.code) !== null ||
        (COMMON_NOTICES as readonly string[]).includes(error.code));
    if (!refusal) throw error;
    pages.redirect(res, `${back}?error=${encodeURIComponent(error.code)}#${anchor}`);
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
    const spec =
      disputesErrorSpec(query.error) ??
      ((COMMON_NOTICES as readonly string[]).includes(query.error)
        ? new CommonError(query.error as (typeof COMMON_NOTICES)[number]).spec
        : null);
    if (spec) return { kind: 'error', message: locale === 'en' ? spec.en : spec.zh };
  }
  if (typeof query.done === 'string') {
    const key = `disputes.${query.done}`;
    if (isMessageKey(key)) return { kind: 'success', message: translate(locale, key) };
  }
  return null;
}
