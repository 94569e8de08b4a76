import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntitySubscriberInterface } from 'typeorm';
import { AuditEvent } from './entities/audit-event.entity.js';

/** Thrown when code tries to change or delete an audit event through the ORM. */
export class AuditAppendOnlyError extends Error {
  constructor(operation: string) {
    super(`Audit events are append-only: ${operation} through the ORM is refused`);
    this.name = 'AuditAppendOnlyError';
  }
}

/**
 * Makes the audit table append-only for application code: update, save-over, remove, soft
 * remove and recover of an AuditEvent throw before any SQL is sent, and roll back the
 * transaction they run in. It guards against mistakes, not against someone with database
 * access: raw SQL still works, and that is what `AuditService.verify()` detects.
 */
@Injectable()
export class AuditEventSubscriber implements EntitySubscriberInterface<AuditEvent> {
  constructor(@InjectDataSource() dataSource: DataSource) {
    // Registered here rather than in the data-source options so that the rule lives with the
    // audit module; the data source is initialised before any provider that injects it.
    dataSource.subscribers.push(this);
  }

  listenTo(): typeof AuditEvent {
    return AuditEvent;
  }

  beforeUpdate(): void {
    throw new AuditAppendOnlyError('update');
  }

  beforeRemove(): void {
    throw new AuditAppendOnlyError('delete');
  }

  beforeSoftRemove(): void {
    throw new AuditAppendOnlyError('soft delete');
  }

  beforeRecover(): void {
    throw new AuditAppendOnlyError('recover');
  }
}
