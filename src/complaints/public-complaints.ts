import { Injectable } from '@nestjs/common';
import { isUuid } from '../common/validation/uuid';
import { TransactionHost } from '../database/transaction-host';
import { categoryLabel } from './complaint-categories';
import { COMPLAINT_STATUSES, type ComplaintStatus } from './complaint-states';

export type ComplaintCounts = Record<ComplaintStatus, number>;

/** A decided complaint as the register shows it: never its text, its complainant or its reference. */
export interface PublicOutcome {
  category: string;
  categoryLabel: string;
  status: 'upheld' | 'dismissed';
  publicOutcome: string;
  receivedAt: string;
  closedAt: string;
}

export interface EntryComplaints {
  counts: ComplaintCounts;
  /** Newest decision first. */
  outcomes: PublicOutcome[];
}

/** What the public may know of complaints, for the register's pages; read from the public view only. */
@Injectable()
export class PublicComplaints {
  constructor(private readonly tx: TransactionHost) {}

  async forEntry(entryId: string): Promise<EntryComplaints> {
    if (!isUuid(entryId)) return { counts: countsOf([]), outcomes: [] };
    const manager = this.tx.manager;
    const [counts, outcomes] = await Promise.all([
      manager.query(`SELECT status, count(*)::int AS count FROM public_complaints WHERE entry_id = $1 GROUP BY status`, [entryId]) as Promise<Array<{ status: ComplaintStatus; count: number }>>,
      manager.query(
        `SELECT category, status, public_outcome, received_at, closed_at FROM public_complaints
          WHERE entry_id = $1 AND status IN ('upheld', 'dismissed') ORDER BY closed_at DESC, received_at DESC`,
        [entryId],
      ) as Promise<Array<{ category: string; status: 'upheld' | 'dismissed'; public_outcome: string; received_at: Date; closed_at: Date }>>,
    ]);
    return {
      counts: countsOf(counts),
      outcomes: outcomes.map((row) => ({
        category: row.category,
        categoryLabel: categoryLabel(row.category),
        status: row.status,
        publicOutcome: row.public_outcome,
        receivedAt: new Date(row.received_at).toISOString(),
        closedAt: new Date(row.closed_at).toISOString(),
      })),
    };
  }

  /** Every complaint in the register, by where it stands: the public statistics. */
  async byOutcome(): Promise<ComplaintCounts> {
    return countsOf(await this.tx.manager.query(`SELECT status, count(*)::int AS count FROM public_complaints GROUP BY status`));
  }
}

function countsOf(rows: Array<{ status: ComplaintStatus; count: number }>): ComplaintCounts {
  const counts = Object.fromEntries(COMPLAINT_STATUSES.map((status) => [status, 0])) as ComplaintCounts;
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}
