import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Assessment } from '../assessments/entities/assessment.entity';
import { ReviewFeedback, type ReleasedFinding, type VerificationStanding } from '../assessments/review-feedback';
import { CodesService } from '../codes/codes.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { Register } from '../register/register';
import { Decision } from './entities/decision.entity';
import { Finding } from './entities/finding.entity';

/** The provider's view of its verification: released findings, the final decision and the register entry. */
@Injectable()
export class ProviderStanding implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly feedback: ReviewFeedback,
    private readonly register: Register,
    private readonly codes: CodesService,
  ) {}

  onModuleInit(): void {
    this.feedback.providedBy((assessment) => this.of(assessment));
  }

  async of(assessment: Assessment): Promise<VerificationStanding> {
    const organizationId = this.context.organizationId;
    // Row-level security shows a provider only released findings and approved decisions; the filters say so too.
    const [findings, decision, entry] = await Promise.all([
      this.tx.manager.getRepository(Finding).find({ where: { assessmentId: assessment.id, providerId: organizationId, released: true }, order: { round: 'DESC' } }),
      this.tx.manager.getRepository(Decision).findOne({ where: { assessmentId: assessment.id, providerId: organizationId, status: 'approved' }, order: { reviewedAt: 'DESC' } }),
      this.register.entryOf(assessment.id),
    ]);
    const byKey = new Map<string, ReleasedFinding[]>();
    for (const finding of findings) byKey.set(finding.requirementKey, [...(byKey.get(finding.requirementKey) ?? []), { round: finding.round, verdict: finding.verdict, comment: finding.comment }]);
    let renewedBy: string | null = null;
    if (!entry && decision?.outcome === 'verified') {
      const { version } = await this.codes.frozenVersion(assessment.codeVersionId);
      renewedBy = (await this.register.entryFor(assessment.serviceId, version.codeId))?.verificationId ?? null;
    }
    return {
      findings: byKey,
      decision: decision
        ? { outcome: decision.outcome, level: decision.level, validUntil: decision.validUntil, conditions: decision.conditions, publicSummary: decision.publicSummary, verificationId: decision.verificationId, decidedAt: decision.reviewedAt! }
        : null,
      register: entry
        ? {
            id: entry.id,
            verificationId: entry.verificationId,
            status: entry.status,
            level: entry.level,
            validUntil: entry.validUntil,
            history: (await this.register.history(entry.id)).map((event) => ({ kind: event.kind, reason: event.reason, occurredAt: event.occurredAt })),
          }
        : null,
      renewedBy,
    };
  }
}
