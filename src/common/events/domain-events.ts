import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Facts one module announces and others react to, e.g. 'membership.expelled' → certificates
 * revoked. Handlers run inside the announcing transaction, so the reaction commits (or rolls
 * back) with the fact itself. Modules subscribe in onModuleInit.
 */
export interface DomainEventMap {
  'membership.activated': { firmId: string; year: number };
  'membership.suspended': { firmId: string; until: string | null };
  'membership.reinstated': { firmId: string };
  'membership.lapsed': { firmId: string; year: number };
  'membership.expelled': { firmId: string; decisionRef: string | null };
  'membership.withdrawn': { firmId: string };
  'ratings.expired': { firmId: string; ratingId: string };
  'ratings.withdrawn': { firmId: string; ratingId: string };
  'ratings.changed': { firmId: string; ratingId: string };
}

export type DomainEventName = keyof DomainEventMap;
type Handler<K extends DomainEventName> = (
  payload: DomainEventMap[K],
  manager: EntityManager,
) => Promise<void>;

@Injectable()
export class DomainEvents {
  private readonly handlers = new Map<DomainEventName, Array<Handler<DomainEventName>>>();

  on<K extends DomainEventName>(name: K, handler: Handler<K>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<DomainEventName>);
    this.handlers.set(name, list);
  }

  async emit<K extends DomainEventName>(
    manager: EntityManager,
    name: K,
    payload: DomainEventMap[K],
  ): Promise<void> {
    for (const handler of this.handlers.get(name) ?? []) await handler(payload, manager);
  }
}
