import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host';
import { REGISTER_STATUSES, type RegisterStatus } from '../register/entities/register-entry.entity';

export interface RegisterFigures {
  entries: {
    total: number;
    byStatus: Record<RegisterStatus, number>;
    byLevel: Array<{ level: number; count: number }>;
    byCode: Array<{ slug: string; title: string; count: number }>;
    byMonitoringBody: Array<{ id: string; name: string; count: number }>;
  };
  /** From a declaration's first submission to its final decision, over every final decision. */
  daysToDecision: { decisions: number; median: number | null; byOutcome: Record<'verified' | 'rejected', { decisions: number; median: number | null }> };
}

/** The register in figures, for the public statistics page. */
@Injectable()
export class RegisterStatistics {
  constructor(private readonly tx: TransactionHost) {}

  async figures(): Promise<RegisterFigures> {
    const manager = this.tx.manager;
    const [statuses, levels, codes, bodies, times] = await Promise.all([
      manager.query(`SELECT status, count(*)::int AS count FROM register_entries GROUP BY status`) as Promise<Array<{ status: RegisterStatus; count: number }>>,
      manager.query(`SELECT level, count(*)::int AS count FROM register_entries GROUP BY level ORDER BY level`) as Promise<Array<{ level: number; count: number }>>,
      manager.query(
        `SELECT code_slug AS slug, (array_agg(code_title ORDER BY decided_at DESC))[1] AS title, count(*)::int AS count
           FROM register_entries GROUP BY code_slug ORDER BY count DESC, code_slug`,
      ) as Promise<Array<{ slug: string; title: string; count: number }>>,
      manager.query(
        `SELECT monitoring_body_id AS id, (array_agg(monitoring_body_name ORDER BY decided_at DESC))[1] AS name, count(*)::int AS count
           FROM register_entries GROUP BY monitoring_body_id ORDER BY count DESC, name`,
      ) as Promise<Array<{ id: string; name: string; count: number }>>,
      manager.query(`SELECT outcome, decisions, median_days FROM public_decision_times()`) as Promise<Array<{ outcome: string; decisions: number; median_days: number | null }>>,
    ]);
    const byStatus = Object.fromEntries(REGISTER_STATUSES.map((status) => [status, statuses.find((row) => row.status === status)?.count ?? 0])) as Record<RegisterStatus, number>;
    const timing = (outcome: string) => {
      const row = times.find((time) => time.outcome === outcome);
      return { decisions: row?.decisions ?? 0, median: row?.median_days ?? null };
    };
    return {
      entries: { total: Object.values(byStatus).reduce((sum, count) => sum + count, 0), byStatus, byLevel: levels, byCode: codes, byMonitoringBody: bodies },
      daysToDecision: { ...timing('all'), byOutcome: { verified: timing('verified'), rejected: timing('rejected') } },
    };
  }
}
