import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { isUuid } from '../common/validation/uuid';
import { TransactionHost } from '../database/transaction-host';
import { ManifestItem, PublicSectionSummary, RegisterEntry, RegisterStatus } from './entities/register-entry.entity';
import { RegisterEvent, RegisterEventKind } from './entities/register-event.entity';
import { merkleRoot } from './merkle-root';

/** What a final `verified` decision puts in the register. */
export interface Publication {
  providerId: string;
  providerName: string;
  providerCountry: string | null;
  serviceId: string;
  serviceName: string;
  codeId: string;
  codeSlug: string;
  codeTitle: string;
  codeVersionId: string;
  codeVersion: string;
  monitoringBodyId: string;
  monitoringBodyName: string;
  assessmentId: string;
  decisionId: string;
  verificationId: string;
  level: number;
  decidedAt: Date;
  validUntil: string;
  conditions: string | null;
  publicSummary: string;
  sectionSummaries: PublicSectionSummary[];
  evidenceManifest: ManifestItem[];
}

/**
 * The public register: one entry per service and code, holding the latest final verification, and its
 * append-only history. Written only in the transaction of the decision or status change it reflects.
 */
@Injectable()
export class Register {
  constructor(private readonly tx: TransactionHost) {}

  /** Creates the service's entry for the code, or renews it with the new verification. */
  async publish(publication: Publication): Promise<RegisterEntry> {
    const entries = this.tx.manager.getRepository(RegisterEntry);
    const existing = await entries.findOne({ where: { serviceId: publication.serviceId, codeId: publication.codeId }, lock: { mode: 'pessimistic_write' } });
    const evidenceRoot = merkleRoot(publication.evidenceManifest.map((item) => item.sha256));
    const values = { ...publication, evidenceRoot, status: 'verified' as const, updatedAt: publication.decidedAt };
    if (!existing) {
      const entry = await entries.save(entries.create({ ...values, firstVerifiedAt: publication.decidedAt, version: 1 }));
      await this.record(entry, 'verified', null);
      return entry;
    }
    await entries.update({ id: existing.id }, { ...values, version: existing.version + 1 });
    const entry = await entries.findOneByOrFail({ id: existing.id });
    // A verification that had ended is not renewed: the service is verified afresh.
    await this.record(entry, existing.status === 'revoked' || existing.status === 'expired' ? 'verified' : 'renewed', null);
    return entry;
  }

  /**
   * The entry that currently shows this assessment's verification, if any. With `lock`, it stays locked
   * until the transaction ends, and a renewal committed meanwhile is seen: the entry then shows the
   * renewal, not this assessment.
   */
  entryOf(assessmentId: string, options: { lock?: boolean } = {}): Promise<RegisterEntry | null> {
    return this.tx.manager.getRepository(RegisterEntry).findOne({ where: { assessmentId }, ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /**
   * An entry by its id (none for a string that is no id), as stored: for modules that refer to entries
 * and need neither its history nor its public form. With `lock: 'share'` it stays
   * share-locked until the transaction ends, so no decision or status change moves it meanwhile.
   */
  async entry(id: string, options: { lock?: 'share' } = {}): Promise<RegisterEntry | null> {
    if (!isUuid(id)) return null;
    return this.tx.manager.getRepository(RegisterEntry).findOne({ where: { id }, ...(options.lock ? { lock: { mode: 'pessimistic_read' as const } } : {}) });
  }

  /** An entry for its badge, in a transaction of its own: the register's pages open one only when they must. */
  badgeEntry(id: string): Promise<RegisterEntry | null> {
    return this.tx.runScoped({}, () => this.entry(id));
  }

  async entriesByIds(ids: string[]): Promise<Map<string, RegisterEntry>> {
    const entries = ids.length ? await this.tx.manager.getRepository(RegisterEntry).find({ where: { id: In([...new Set(ids)]) } }) : [];
    return new Map(entries.map((entry) => [entry.id, entry]));
  }

  /** The entry for a service and code, whichever assessment it currently shows. */
  entryFor(serviceId: string, codeId: string): Promise<RegisterEntry | null> {
    return this.tx.manager.getRepository(RegisterEntry).findOneBy({ serviceId, codeId });
  }

  async changeStatus(entry: RegisterEntry, kind: RegisterEventKind, status: RegisterStatus, reason: string | null): Promise<RegisterEntry> {
    await this.tx.manager.getRepository(RegisterEntry).update({ id: entry.id }, { status, version: entry.version + 1, updatedAt: new Date() });
    const changed = { ...entry, status, version: entry.version + 1 };
    await this.record(changed, kind, reason);
    return changed;
  }

  /** Entries still in force whose last valid day is before `today` (YYYY-MM-DD). */
  due(today: string): Promise<RegisterEntry[]> {
    return this.tx.manager
      .getRepository(RegisterEntry)
      .createQueryBuilder('entry')
      .where(`entry.status IN ('verified', 'suspended') AND entry.validUntil < :today`, { today })
      .orderBy('entry.validUntil', 'ASC')
      // The expiry job locks the assessments in this order: the same order every time.
      .addOrderBy('entry.assessmentId', 'ASC')
      .getMany();
  }

  /** Verified entries whose last valid day falls within `days` days from `today`. */
  expiringWithin(today: string, days: number): Promise<RegisterEntry[]> {
    return this.tx.manager
      .getRepository(RegisterEntry)
      .createQueryBuilder('entry')
      .where(`entry.status = 'verified' AND entry.validUntil >= :today AND entry.validUntil <= (:today::date + :days::int)`, { today, days })
      .orderBy('entry.validUntil', 'ASC')
      .getMany();
  }

  history(entryId: string): Promise<RegisterEvent[]> {
    return this.tx.manager.getRepository(RegisterEvent).find({ where: { entryId }, order: { id: 'ASC' } });
  }

  private async record(entry: Pick<RegisterEntry, 'id' | 'status' | 'verificationId' | 'monitoringBodyId'>, kind: RegisterEventKind, reason: string | null): Promise<void> {
    await this.tx.manager.getRepository(RegisterEvent).insert({ entryId: entry.id, monitoringBodyId: entry.monitoringBodyId, kind, status: entry.status, verificationId: entry.verificationId, reason, occurredAt: new Date() });
  }
}
