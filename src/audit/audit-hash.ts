import { createHash } from 'node:crypto';
import { canonicalJson } from '../common/canonical-json';
import type { AuditEvent } from './entities/audit-event.entity';

export type HashedFields = Pick<
  AuditEvent,
  'organizationId' | 'actorUserId' | 'actorTokenId' | 'action' | 'targetType' | 'targetId' | 'data' | 'occurredAt' | 'previousHash'
>;

/** SHA-256 over the event's content and the previous event's hash: changing any event breaks every later link. */
export function auditHash(event: HashedFields): string {
  const content = canonicalJson({
    organizationId: event.organizationId,
    actorUserId: event.actorUserId,
    actorTokenId: event.actorTokenId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    data: event.data,
    occurredAt: event.occurredAt.toISOString(),
    previousHash: event.previousHash,
  });
  return createHash('sha256').update(content).digest('hex');
}
