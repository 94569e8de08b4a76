import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import type { Locale } from '../../common/i18n/i18n.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import type { TicketParty } from './visibility.js';

export interface TicketSectionContext {
  manager: EntityManager;
  actor: Actor;
  ticket: DisputeTicket;
  party: TicketParty;
  locale: Locale;
}

/** One block of the ticket page: a partial under templates/partials/disputes/ and its model. */
export interface TicketSection {
  /** e.g. 'disputes/conversation' (templates/partials/disputes/conversation.hbs). */
  partial: string;
  model: Record<string, unknown>;
}

export interface TicketSectionProvider {
  /** Position on the page: lower first. Filing 10, workflow 20, mediator 30, conversation 40, settlement 50, survey 60, timeline 90. */
  order: number;
  name: string;
  /** The section for this viewer, or null when there is nothing for them to see. */
  build(context: TicketSectionContext): Promise<TicketSection | null>;
}

/**
 * The ticket page is assembled from sections that each area of the module provides (filing,
 * workflow, mediation, settlement), so that no area renders another's data or forms. Each
 * provider registers itself at start-up (onModuleInit).
 */
@Injectable()
export class TicketSectionsRegistry {
  private readonly providers: TicketSectionProvider[] = [];

  register(provider: TicketSectionProvider): void {
    if (this.providers.some((p) => p.name === provider.name))
      throw new Error(`Ticket section ${provider.name} registered twice`);
    this.providers.push(provider);
    this.providers.sort((a, b) => a.order - b.order);
  }

  async build(context: TicketSectionContext): Promise<TicketSection[]> {
    const out: TicketSection[] = [];
    for (const provider of this.providers) {
      const section = await provider.build(context);
      if (section) out.push(section);
    }
    return out;
  }
}
