import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntitySubscriberInterface } from 'typeorm';
import { PledgeSignature } from './entities/pledge-signature.entity.js';

/** Thrown when code tries to change or delete a signature record through the ORM. */
export class PledgeSignatureImmutableError extends Error {
  constructor(operation: string) {
    super(`Pledge signatures are immutable: ${operation} through the ORM is refused`);
    this.name = 'PledgeSignatureImmutableError';
  }
}

/**
 * A signature is evidence: once written it is never updated or removed. This stops application
 * code doing so by mistake; raw SQL still can, and verification then reports "altered".
 */
@Injectable()
export class PledgeSignatureSubscriber implements EntitySubscriberInterface<PledgeSignature> {
  constructor(@InjectDataSource() dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  listenTo(): typeof PledgeSignature {
    return PledgeSignature;
  }

  beforeUpdate(): void {
    throw new PledgeSignatureImmutableError('update');
  }

  beforeRemove(): void {
    throw new PledgeSignatureImmutableError('delete');
  }

  beforeSoftRemove(): void {
    throw new PledgeSignatureImmutableError('soft delete');
  }

  beforeRecover(): void {
    throw new PledgeSignatureImmutableError('recover');
  }
}
