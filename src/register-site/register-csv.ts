import { Injectable } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import type { Writable } from 'node:stream';
import { streamCsv, type CsvCell } from '../common/csv/csv-writer';
import { TransactionHost } from '../database/transaction-host';

const BATCH = 1_000;

/** The register's CSV columns, and the SQL of each ($3 is the service's public address). */
const CSV_FIELDS: Array<[string, string]> = [
  ['id', 'id::text'],
  ['verification_id', 'verification_id'],
  ['status', 'status'],
  ['level', 'level::text'],
  ['provider', 'provider_name'],
  ['provider_country', 'provider_country'],
  ['service', 'service_name'],
  ['code', 'code_slug'],
  ['code_title', 'code_title'],
  ['code_version', 'code_version'],
  ['monitoring_body', 'monitoring_body_name'],
  ['first_verified_at', `to_char(first_verified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
  ['decided_at', `to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
  ['valid_until', 'valid_until::text'],
  ['conditions', 'conditions'],
  ['public_summary', 'public_summary'],
  ['evidence_count', 'jsonb_array_length(evidence_manifest)::text'],
  ['evidence_merkle_root', 'evidence_root'],
  ['url', `$3::text || '/register/' || id`],
];
const HEADER = CSV_FIELDS.map(([name]) => name);
// A batch comes as one JSON text of rows (arrays of cells): far quicker to receive and parse than as
// many rows, especially from the embedded database, where each row costs a message.
const BATCH_SQL = `SELECT json_agg(json_build_array(${CSV_FIELDS.map(([, expression]) => expression).join(', ')}) ORDER BY id)::text AS rows
  FROM (SELECT * FROM register_entries WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2) batch`;

/** A row of the CSV: its cells in HEADER order, the entry's id first. */
export type Row = CsvCell[];

/**
 * The whole register as CSV, written to a stream batch by batch in id order. Each batch is read in a
 * short read-only transaction of its own, so a large download never holds a connection for long, and
 * the next batch is read only when the client has taken the rows before it.
 */
@Injectable()
export class RegisterCsv {
  constructor(private readonly tx: TransactionHost) {}

  async write(output: Writable, baseUrl: string): Promise<void> {
    // Read in the request's context, whichever stream event asks for the next batch.
    const batchAfter = AsyncResource.bind((after: string | null) => this.tx.runScoped({}, () => this.batch(after, baseUrl)));
    // The first batch before any byte is sent: a failure then is still an ordinary error answer.
    const first = await batchAfter(null);
    await streamCsv(output, HEADER, rowsInBatches(first, batchAfter, BATCH));
  }

  private async batch(after: string | null, baseUrl: string): Promise<Row[]> {
    const [{ rows }] = (await this.tx.manager.query(BATCH_SQL, [after, BATCH, baseUrl])) as Array<{ rows: string | null }>;
    return rows === null ? [] : (JSON.parse(rows) as Row[]);
  }
}

/**
 * The rows of `first` and of every batch after it; the next batch (after the last row's id, its first
 * cell) is read only once the rows before it are taken, and none after a short one.
 */
export async function* rowsInBatches(first: Row[], batchAfter: (after: string) => Promise<Row[]>, size: number): AsyncGenerator<Row> {
  let batch = first;
  for (;;) {
    yield* batch;
    if (batch.length < size) return;
    batch = await batchAfter(String(batch[batch.length - 1][0]));
  }
}
