import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { AuditEvent } from './entities/audit-event.entity';
import { auditHash } from './audit-hash';

export interface AuditRecord {
  action: string;
  targetType: string;
  targetId?: string | null;
  data?: Record<string, unknown>;
  /** Defaults to the request's organization; `null` for account-level events. */
  organizationId?: string | null;
  /** Defaults to the request's caller. */
  actorUserId?: string | null;
}

export interface ChainVerification {
  valid: boolean;
  checked: number;
  brokenAt?: string;
}

export type AuditEntry = AuditEvent & { actorName: string | null };

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

/** The append-only, hash-chained log of every state change, written in the change's own transaction. */
@Injectable()
export class AuditService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
  ) {}

  async record(record: AuditRecord): Promise<void> {
    const manager = this.tx.manager;
    const organizationId = record.organizationId === undefined ? this.context.organizationId : record.organizationId;
    // One writer per chain at a time, so two transactions never link to the same predecessor.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('audit:' || $1, 0))`, [organizationId ?? 'account']);
    const previous = organizationId ? await this.organizationHead(organizationId) : await this.platformHead();
    const caller = this.context.caller;
    const event = manager.getRepository(AuditEvent).create({
      organizationId,
      actorUserId: record.actorUserId === undefined ? caller?.userId ?? null : record.actorUserId,
      actorTokenId: caller?.tokenId ?? null,
      action: record.action,
      targetType: record.targetType,
      targetId: record.targetId ?? null,
      data: record.data ?? {},
      occurredAt: new Date(),
      requestId: this.context.requestId ?? null,
      previousHash: previous?.hash ?? null,
    });
    event.hash = auditHash(event);
    // No RETURNING: platform events are written by people who may not read them back.
    await manager.createQueryBuilder().insert().into(AuditEvent).values(event as QueryDeepPartialEntity<AuditEvent>).updateEntity(false).execute();
  }

  private organizationHead(organizationId: string): Promise<{ hash: string } | undefined> {
    return this.tx.manager
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .select('event.hash', 'hash')
      .where('event.organizationId = :organizationId', { organizationId })
      .orderBy('event.id', 'DESC')
      .limit(1)
      .getRawOne<{ hash: string }>();
  }

  /** The platform chain's last link, which only an operator may read: a database function hands its hash to any writer. */
  private async platformHead(): Promise<{ hash: string } | undefined> {
    const [row] = (await this.tx.manager.query(`SELECT platform_audit_head() AS hash`)) as Array<{ hash: string | null }>;
    return row?.hash ? { hash: row.hash } : undefined;
  }

  /** The current organization's events, newest first, `limit` at a time. */
  list(limit: number, before?: string): Promise<AuditPage> {
    return this.listChain(this.context.organizationId, limit, before);
  }

  /** The platform's events (accounts, the operator's acts), which only an operator's transaction can read. */
  listPlatform(limit: number, before?: string): Promise<AuditPage> {
    return this.listChain(null, limit, before);
  }

  private async listChain(organizationId: string | null, limit: number, before?: string): Promise<AuditPage> {
    const query = this.tx.manager
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .where(organizationId ? 'event.organizationId = :organizationId' : 'event.organizationId IS NULL', { organizationId })
      .orderBy('event.id', 'DESC')
      .limit(limit + 1);
    if (before) query.andWhere('event.id < :before', { before });
    const rows = await query.getMany();
    const events = rows.slice(0, limit);
    const names = await this.actorNames(events);
    const items = events.map((event) => Object.assign(event, { actorName: event.actorUserId ? names.get(event.actorUserId) ?? null : null }));
    return { items, nextCursor: rows.length > limit ? events[events.length - 1].id : null };
  }

  private async actorNames(events: AuditEvent[]): Promise<Map<string, string>> {
    const ids = [...new Set(events.map((event) => event.actorUserId).filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map();
    const rows = (await this.tx.manager.query(`SELECT id, name FROM users WHERE id = ANY($1)`, [ids])) as Array<{ id: string; name: string }>;
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** Recomputes the current organization's chain from its first event and names the first broken link. */
  verify(): Promise<ChainVerification> {
    return this.verifyChain(this.context.organizationId);
  }

  /** The same for the platform's chain (events without an organization). */
  verifyPlatform(): Promise<ChainVerification> {
    return this.verifyChain(null);
  }

  private async verifyChain(organizationId: string | null): Promise<ChainVerification> {
    const events = await this.tx.manager
      .getRepository(AuditEvent)
      .find({ where: { organizationId: organizationId ?? IsNull() }, order: { id: 'ASC' } });
    let previousHash: string | null = null;
    for (const [index, event] of events.entries()) {
      if (event.previousHash !== previousHash || auditHash(event) !== event.hash) {
        return { valid: false, checked: index + 1, brokenAt: event.id };
      }
      previousHash = event.hash;
    }
    return { valid: true, checked: events.length };
  }
}
