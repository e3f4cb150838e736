import { Injectable } from '@nestjs/common';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import type { ReportQueryDto } from './dto/report-query.dto';
import { addMonths, todayUtc } from './validity';

/** A monitoring body's activity in a period, for its reports to supervisory authorities. */
export interface VerificationStatistics {
  monitoringBody: { slug: string; name: string };
  period: { from: string; to: string };
  submissions: { total: number; first: number; resubmissions: number };
  decisions: { total: number; byOutcome: { verified: number; rejected: number }; byLevel: Record<string, number> };
  /** From a declaration's first submission to its final decision, in days, for decisions made in the period. */
  daysToDecision: { count: number; median: number | null; p90: number | null };
  suspensions: number;
  reinstatements: number;
  revocations: number;
  expiries: number;
}

@Injectable()
export class VerificationReports {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
  ) {}

  async statistics(query: ReportQueryDto): Promise<VerificationStatistics> {
    const to = query.to ?? todayUtc();
    const from = query.from ?? addMonths(to, -12);
    if (from > to) throw new InvalidInputException({ from: ['from must not be after to'] });
    const organizationId = this.context.organizationId;
    // Days are UTC days, whatever the database's time zone; both are included, so the period ends
    // at the start of the day after `to`.
    const period = [`${from}T00:00:00Z`, new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString()];
    const manager = this.tx.manager;
    const [[submissions], decisions, [timing], events] = await Promise.all([
      manager.query(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE round = 1)::int AS first
           FROM submissions_received() WHERE submitted_at >= $1::timestamptz AND submitted_at < $2::timestamptz`,
        period,
      ) as Promise<Array<{ total: number; first: number }>>,
      manager.query(
        `SELECT outcome, level, count(*)::int AS count FROM decisions
          WHERE organization_id = $3 AND status = 'approved' AND reviewed_at >= $1::timestamptz AND reviewed_at < $2::timestamptz
          GROUP BY outcome, level`,
        [...period, organizationId],
      ) as Promise<Array<{ outcome: 'verified' | 'rejected'; level: number | null; count: number }>>,
      manager.query(
        `WITH first_submission AS (SELECT assessment_id, min(submitted_at) AS at FROM submissions_received() GROUP BY assessment_id),
              waits AS (
                SELECT extract(epoch FROM d.reviewed_at - f.at) / 86400 AS days
                  FROM decisions d JOIN first_submission f ON f.assessment_id = d.assessment_id
                 WHERE d.organization_id = $3 AND d.status = 'approved' AND d.reviewed_at >= $1::timestamptz AND d.reviewed_at < $2::timestamptz)
         SELECT count(*)::int AS count,
                round(percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::numeric, 1)::float AS median,
                round(percentile_cont(0.9) WITHIN GROUP (ORDER BY days)::numeric, 1)::float AS p90
           FROM waits`,
        [...period, organizationId],
      ) as Promise<Array<{ count: number; median: number | null; p90: number | null }>>,
      manager.query(
        `SELECT kind, count(*)::int AS count FROM register_events
          WHERE monitoring_body_id = $3 AND occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz
          GROUP BY kind`,
        [...period, organizationId],
      ) as Promise<Array<{ kind: string; count: number }>>,
    ]);
    const count = (kind: string) => events.find((row) => row.kind === kind)?.count ?? 0;
    const byLevel: Record<string, number> = {};
    for (const row of decisions.filter((row) => row.outcome === 'verified')) byLevel[String(row.level)] = (byLevel[String(row.level)] ?? 0) + row.count;
    const outcome = (name: 'verified' | 'rejected') => decisions.filter((row) => row.outcome === name).reduce((sum, row) => sum + row.count, 0);
    return {
      monitoringBody: { slug: this.context.organization.slug, name: this.context.organization.name },
      period: { from, to },
      submissions: { total: submissions.total, first: submissions.first, resubmissions: submissions.total - submissions.first },
      decisions: { total: outcome('verified') + outcome('rejected'), byOutcome: { verified: outcome('verified'), rejected: outcome('rejected') }, byLevel },
      daysToDecision: timing,
      suspensions: count('suspended'),
      reinstatements: count('reinstated'),
      revocations: count('revoked'),
      expiries: count('expired'),
    };
  }
}

/** The columns of the statistics as CSV. */
export const STATISTICS_COLUMNS = ['from', 'to', 'metric', 'breakdown', 'value'] as const;

/** The statistics as CSV rows (metric, breakdown, value), each with the period, for a spreadsheet. */
export function statisticsRows(statistics: VerificationStatistics): Array<[string, string, string, string, number | null]> {
  const { from, to } = statistics.period;
  const row = (metric: string, breakdown: string, value: number | null): [string, string, string, string, number | null] => [from, to, metric, breakdown, value];
  return [
    row('submissions', 'all', statistics.submissions.total),
    row('submissions', 'first', statistics.submissions.first),
    row('submissions', 'resubmission', statistics.submissions.resubmissions),
    row('decisions', 'all', statistics.decisions.total),
    row('decisions', 'outcome=verified', statistics.decisions.byOutcome.verified),
    row('decisions', 'outcome=rejected', statistics.decisions.byOutcome.rejected),
    ...Object.entries(statistics.decisions.byLevel).map(([level, count]) => row('decisions', `verified level=${level}`, count)),
    row('days_to_decision', 'count', statistics.daysToDecision.count),
    row('days_to_decision', 'median', statistics.daysToDecision.median),
    row('days_to_decision', 'p90', statistics.daysToDecision.p90),
    row('suspensions', 'all', statistics.suspensions),
    row('reinstatements', 'all', statistics.reinstatements),
    row('revocations', 'all', statistics.revocations),
    row('expiries', 'all', statistics.expiries),
  ];
}
