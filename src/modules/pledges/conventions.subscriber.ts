import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type RemoveEvent,
  type UpdateEvent,
} from 'typeorm';
import { ConventionVersion } from './entities/convention-version.entity.js';
import { PledgesError } from './pledges.errors.js';

/** What a fingerprint covers, plus the fingerprint and number themselves. */
const PROTECTED = new Set<string>([
  'versionNumber',
  'titleZh',
  'titleEn',
  'bodyZh',
  'bodyEn',
  'fingerprint',
]);

/** Query runners inside ConventionsService's own draft edits and publication. */
const sanctioned = new WeakSet<object>();

/**
 * Runs `work` as the conventions service's checked write: it has read the row in this
 * transaction, seen a draft, and updates with the version it read (0 rows → 409).
 */
export async function asConventionWriter<T>(
  manager: EntityManager,
  work: () => Promise<T>,
): Promise<T> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('asConventionWriter needs a transactional manager');
  sanctioned.add(runner);
  try {
    return await work();
  } finally {
    sanctioned.delete(runner);
  }
}

/**
 * Keeps published convention text immutable for application code. A save() of a loaded row
 * is refused when the row is published and its text, number or fingerprint would change; an
 * update by criteria (manager.update, query builder), where the row is not known here, may
 * touch those columns only inside ConventionsService (asConventionWriter). A trigger in the
 * database (migration 1764547200010) refuses the same change made by any other route.
 */
@Injectable()
export class ConventionVersionSubscriber implements EntitySubscriberInterface<ConventionVersion> {
  constructor(@InjectDataSource() dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  listenTo(): typeof ConventionVersion {
    return ConventionVersion;
  }

  beforeUpdate(event: UpdateEvent<ConventionVersion>): void {
    const before = event.databaseEntity as ConventionVersion | undefined;
    if (before) {
      const touched = event.updatedColumns.some((column) => PROTECTED.has(column.propertyName));
      if (before.state === 'published' && (touched || event.entity?.state === 'draft'))
        throw new PledgesError('CONVENTION_PUBLISHED');
      return;
    }
    const values = (event.entity ?? {}) as Record<string, unknown>;
    const touched = Object.keys(values).some((key) => PROTECTED.has(key));
    if (touched && !sanctioned.has(event.queryRunner))
      throw new PledgesError('CONVENTION_PUBLISHED');
  }

  beforeRemove(event: RemoveEvent<ConventionVersion>): void {
    const row = event.databaseEntity ?? event.entity;
    if (row?.state === 'published') throw new PledgesError('CONVENTION_PUBLISHED');
  }
}
