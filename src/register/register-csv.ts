import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { TransactionHost } from '../database/transaction-host';
import type { RegisterEntry } from './entities/register-entry.entity';
import { RegisterDirectory } from './register-directory';

const BATCH = 1_000;

export const REGISTER_CSV_COLUMNS = [
  'id', 'verification_id', 'status', 'level', 'provider', 'provider_country', 'service', 'code', 'code_title', 'code_version',
  'monitoring_body', 'first_verified_at', 'decided_at', 'valid_until', 'conditions', 'public_summary', 'evidence_count', 'evidence_merkle_root', 'url',
] as const;

/**
 * The whole register as CSV, written to a stream batch by batch in id order. Each batch is read in a
 * short transaction of its own, so a large download never holds a connection (or memory) for long.
 */
@Injectable()
export class RegisterCsv {
  constructor(
    private readonly tx: TransactionHost,
    private readonly directory: RegisterDirectory,
  ) {}

  async write(output: Writable, baseUrl: string): Promise<void> {
    const csv = stringify({ header: true, columns: [...REGISTER_CSV_COLUMNS] });
    csv.pipe(output);
    let after: string | null = null;
    for (;;) {
      const batch: RegisterEntry[] = await this.tx.runScoped({}, () => this.directory.batchAfter(after, BATCH));
      for (const entry of batch) {
        if (!csv.write(rowOf(entry, baseUrl))) await once(csv, 'drain');
      }
      if (batch.length < BATCH) break;
      after = batch[batch.length - 1].id;
    }
    csv.end();
    await once(output, 'finish');
  }
}

function rowOf(entry: RegisterEntry, baseUrl: string): Record<(typeof REGISTER_CSV_COLUMNS)[number], string | number> {
  return {
    id: entry.id,
    verification_id: entry.verificationId,
    status: entry.status,
    level: entry.level,
    provider: entry.providerName,
    provider_country: entry.providerCountry ?? '',
    service: entry.serviceName,
    code: entry.codeSlug,
    code_title: entry.codeTitle,
    code_version: entry.codeVersion,
    monitoring_body: entry.monitoringBodyName,
    first_verified_at: entry.firstVerifiedAt.toISOString(),
    decided_at: entry.decidedAt.toISOString(),
    valid_until: entry.validUntil,
    conditions: entry.conditions ?? '',
    public_summary: entry.publicSummary,
    evidence_count: entry.evidenceManifest.length,
    evidence_merkle_root: entry.evidenceRoot,
    url: `${baseUrl}/register/${entry.id}`,
  };
}
