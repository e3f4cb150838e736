import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app';

export interface SeededEntry {
  provider?: string;
  country?: string | null;
  service: string;
  status?: 'verified' | 'suspended' | 'revoked' | 'expired';
  level?: number;
  summary?: string;
  decidedAt?: string;
  validUntil?: string;
  verificationId?: string;
}

/**
 * Register entries written straight into the table, each for a service of its own, beside a real
 * entry whose provider, code, monitoring body, assessment and decision they borrow. For tests of
 * reading the register (search, filters, pages), not of how entries come to be.
 */
export async function seedEntries(t: TestApp, realEntryId: string, entries: SeededEntry[]): Promise<string[]> {
  const [base] = await t.sql<Record<string, unknown>>(`SELECT * FROM register_entries WHERE id = $1`, [realEntryId]);
  const columns = (await t.sql<{ name: string }>(`SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'assessments' AND is_generated = 'NEVER' AND column_name NOT IN ('id', 'service_id')`)).map((row) => row.name);
  const ids: string[] = [];
  for (const [index, entry] of entries.entries()) {
    const [service] = await t.sql<{ id: string }>(`INSERT INTO services (organization_id, name) VALUES ($1, $2) RETURNING id`, [base.provider_id, `${entry.service} ${randomUUID().slice(0, 8)}`]);
    // Each entry shows an assessment of its own: a copy of the real one, for the new service.
    const [assessment] = await t.sql<{ id: string }>(
      `INSERT INTO assessments (service_id, ${columns.join(', ')}) SELECT $2, ${columns.join(', ')} FROM assessments WHERE id = $1 RETURNING id`,
      [base.assessment_id, service.id],
    );
    const [row] = await t.sql<{ id: string }>(
      `INSERT INTO register_entries (provider_id, provider_name, provider_country, service_id, service_name, code_id, code_slug, code_title, code_version_id, code_version,
         monitoring_body_id, monitoring_body_name, assessment_id, decision_id, verification_id, status, level, first_verified_at, decided_at, valid_until,
         public_summary, section_summaries, evidence_manifest, evidence_root)
       SELECT provider_id, $2, $3, $4, $5, code_id, code_slug, code_title, code_version_id, code_version, monitoring_body_id, monitoring_body_name,
              $12, decision_id, $6, $7, $8, $9, $9, $10, $11, '[]', '[]', evidence_root
         FROM register_entries WHERE id = $1 RETURNING id`,
      [
        realEntryId,
        entry.provider ?? base.provider_name,
        entry.country === undefined ? base.provider_country : entry.country,
        service.id,
        entry.service,
        entry.verificationId ?? `2020-L${entry.level ?? 1}-${String(9000 + index).padStart(4, '0')}`,
        entry.status ?? 'verified',
        entry.level ?? 1,
        entry.decidedAt ?? new Date(Date.UTC(2026, 0, 1 + index)).toISOString(),
        entry.validUntil ?? '2027-06-30',
        entry.summary ?? 'Meets the code.',
        assessment.id,
      ],
    );
    await t.sql(`INSERT INTO register_events (entry_id, monitoring_body_id, kind, status, verification_id, occurred_at) SELECT id, monitoring_body_id, 'verified', status, verification_id, decided_at FROM register_entries WHERE id = $1`, [row.id]);
    ids.push(row.id);
  }
  return ids;
}
