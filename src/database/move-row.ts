import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * Writes `changes` to one row only if it still holds `expected` (its state, and its version where it
 * has one): the write itself checks that nobody moved the record since it was read. Whether it did.
 */
export async function moveRow<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  id: string,
  expected: Partial<E>,
  changes: QueryDeepPartialEntity<E>,
): Promise<boolean> {
  const result = await manager.createQueryBuilder().update(entity).set(changes).where({ ...expected, id }).execute();
  return Boolean(result.affected);
}
