import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { CommonError } from '../common/errors/domain-error.js';

/**
 * Optimistic concurrency for workflow transitions: `UPDATE ... SET ..., version = version + 1
 * WHERE id = :id AND version = :expected`. Zero rows means someone else changed the record
 * since it was read: the caller gets 409 CONFLICT and nothing is written.
 */
export async function updateVersioned<T extends ObjectLiteral & { id: string; version: number }>(
  manager: EntityManager,
  target: EntityTarget<T>,
  id: string,
  expectedVersion: number,
  changes: Partial<Omit<T, 'id' | 'version'>>,
): Promise<void> {
  const result = await manager
    .createQueryBuilder()
    .update(target)
    .set({ ...changes, version: () => 'version + 1' })
    .where('id = :id AND version = :version', { id, version: expectedVersion })
    .execute();
  if (!result.affected) throw new CommonError('CONFLICT');
}
