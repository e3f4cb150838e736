import type { ManifestItem, PublicSectionSummary, RegisterEntry, RegisterStatus } from './entities/register-entry.entity';
import type { RegisterEvent, RegisterEventKind } from './entities/register-event.entity';

/** One line of the register, as anyone may read it. */
export interface PublicEntrySummary {
  id: string;
  verificationId: string;
  status: RegisterStatus;
  level: number;
  provider: { id: string; name: string; country: string | null };
  service: { name: string };
  code: { slug: string; title: string; version: string };
  monitoringBody: { id: string; name: string };
  firstVerifiedAt: string;
  decidedAt: string;
  validUntil: string;
}

/** A register entry in full: what was verified, on what evidence, and everything that happened since. */
export interface PublicEntry extends PublicEntrySummary {
  conditions: string | null;
  publicSummary: string;
  sections: PublicSectionSummary[];
  evidence: { count: number; merkleRoot: string; items: ManifestItem[] };
  history: PublicEvent[];
  updatedAt: string;
}

export interface PublicEvent {
  id: string;
  entryId: string;
  kind: RegisterEventKind;
  status: RegisterStatus;
  verificationId: string;
  reason: string | null;
  monitoringBody: { id: string; name: string };
  occurredAt: string;
}

export function summaryOf(entry: RegisterEntry): PublicEntrySummary {
  return {
    id: entry.id,
    verificationId: entry.verificationId,
    status: entry.status,
    level: entry.level,
    provider: { id: entry.providerId, name: entry.providerName, country: entry.providerCountry },
    service: { name: entry.serviceName },
    code: { slug: entry.codeSlug, title: entry.codeTitle, version: entry.codeVersion },
    monitoringBody: { id: entry.monitoringBodyId, name: entry.monitoringBodyName },
    firstVerifiedAt: entry.firstVerifiedAt.toISOString(),
    decidedAt: entry.decidedAt.toISOString(),
    validUntil: entry.validUntil,
  };
}

export function publicEntryOf(entry: RegisterEntry, history: PublicEvent[]): PublicEntry {
  return {
    ...summaryOf(entry),
    conditions: entry.conditions,
    publicSummary: entry.publicSummary,
    sections: entry.sectionSummaries.map(({ key, title, publicSummary }) => ({ key, title, publicSummary })),
    // Built field by field so that nothing but the digest, revision and public title can ever leave.
    evidence: {
      count: entry.evidenceManifest.length,
      merkleRoot: entry.evidenceRoot,
      items: entry.evidenceManifest.map(({ sha256, revision, title }) => ({ sha256, revision, title: title ?? null })),
    },
    history,
    updatedAt: entry.updatedAt.toISOString(),
  };
}

export function publicEventOf(event: RegisterEvent, monitoringBodyName: string): PublicEvent {
  return {
    id: event.id,
    entryId: event.entryId,
    kind: event.kind,
    status: event.status,
    verificationId: event.verificationId,
    reason: event.reason,
    monitoringBody: { id: event.monitoringBodyId, name: monitoringBodyName },
    occurredAt: event.occurredAt.toISOString(),
  };
}
