import { Injectable } from '@nestjs/common';
import { AssessmentLifecycle, words } from '../assessments/assessment-lifecycle';
import { AuditService } from '../audit/audit.service';
import { AuthErrorCode, AuthException } from '../auth/auth.exception';
import { mayMake, type Move } from '../access/moves';
import { Permission } from '../access/permissions';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { TenantContext } from '../common/tenant-context';
import { moveRow } from '../database/move-row';
import { TransactionHost } from '../database/transaction-host';
import { Notifications } from '../notifications/notifications';
import { Register } from '../register/register';
import type { ProposeDecisionDto } from './dto/propose-decision.dto';
import { Decision, type DecisionSnapshot, type DecisionStatus } from './entities/decision.entity';
import { Finding } from './entities/finding.entity';
import { ReviewFloor, type UnderReview } from './review-floor';
import { formatVerificationId } from './verification-id';
import { VerificationErrorCode, VerificationException } from './verification.exception';
import { addMonths, DEFAULT_VALIDITY_MONTHS, MAX_VALIDITY_MONTHS, todayUtc } from './validity';

/**
 * The moves of a proposed decision: the second reviewer approves it or returns it to the lead. The
 * four-eyes rule (not the proposer) is checked before, by whoever settles it.
 */
export const DECISION_MOVES = {
  approve: { from: ['proposed'], to: 'approved', by: 'monitoring_body', permission: Permission.ReviewsConduct, verb: 'approve' },
  return: { from: ['proposed'], to: 'returned', by: 'monitoring_body', permission: Permission.ReviewsConduct, verb: 'return' },
} as const satisfies Record<string, Move<DecisionStatus>>;

/**
 * Decisions with four eyes: the lead reviewer proposes, the second approves or returns. Only approval
 * makes a decision final; it then freezes what was decided and, when verified, publishes it.
 */
@Injectable()
export class Decisions {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly floor: ReviewFloor,
    private readonly lifecycle: AssessmentLifecycle,
    private readonly register: Register,
    private readonly notifications: Notifications,
  ) {}

  async propose(id: string, input: ProposeDecisionDto): Promise<Decision> {
    const under = await this.floor.enter(id, 'lead');
    const { assessment } = under;
    this.lifecycle.check(assessment, input.outcome === 'verified' ? 'verify' : 'reject');
    const terms = input.outcome === 'verified' ? this.verifiedTerms(under, input) : this.rejectedTerms(input);
    const repository = this.tx.manager.getRepository(Decision);
    const decision = await repository.save(
      repository.create({
        organizationId: this.context.organizationId,
        providerId: assessment.organizationId,
        assessmentId: id,
        round: assessment.round,
        outcome: input.outcome,
        ...terms,
        publicSummary: input.publicSummary,
        status: 'proposed',
        proposedBy: this.context.userId!,
        proposedAt: new Date(),
        version: 1,
      }),
    );
    await this.audit.record({ action: 'decision.proposed', targetType: 'assessment', targetId: id, data: { decision: decision.id, outcome: input.outcome, level: terms.level, validUntil: terms.validUntil } });
    return decision;
  }

  /** The second reviewer's approval: the decision becomes final, frozen and, when verified, public. */
  async approve(id: string): Promise<Decision> {
    const under = await this.floor.enter(id, 'second', { allowPending: true });
    const decision = this.pendingOf(under);
    const { assessment, detail } = under;
    const verificationId = decision.outcome === 'verified' ? await this.nextVerificationId(decision.level!) : null;
    const reviewedAt = new Date();
    await this.settle(decision, 'approve', { reviewedBy: this.context.userId!, reviewedAt, verificationId, snapshot: snapshotOf(under) });
    await this.tx.manager.getRepository(Finding).update({ assessmentId: id, round: assessment.round }, { released: true });
    await this.lifecycle.apply(assessment, decision.outcome === 'verified' ? 'verify' : 'reject', {}, { decision: decision.id, verificationId, level: decision.level });
    if (decision.outcome === 'verified') {
      await this.register.publish({
        providerId: assessment.organizationId,
        providerName: detail.provider.name,
        providerCountry: detail.provider.country,
        serviceId: assessment.serviceId,
        serviceName: detail.service,
        codeId: detail.code.version.codeId,
        codeSlug: detail.code.slug,
        codeTitle: detail.code.version.title,
        codeVersionId: assessment.codeVersionId,
        codeVersion: detail.code.version.version,
        monitoringBodyId: this.context.organizationId,
        monitoringBodyName: this.context.organization.name,
        assessmentId: id,
        decisionId: decision.id,
        verificationId: verificationId!,
        level: decision.level!,
        decidedAt: reviewedAt,
        validUntil: decision.validUntil!,
        conditions: decision.conditions,
        publicSummary: decision.publicSummary,
        sectionSummaries: detail.opened.sections.map(({ section, summary }) => ({ key: section.key, title: section.title, publicSummary: summary?.publicSummary ?? null })),
        evidenceManifest: manifestOf(under),
      });
    }
    await this.audit.record({ action: 'decision.approved', targetType: 'assessment', targetId: id, data: { decision: decision.id, outcome: decision.outcome, verificationId } });
    const outcome = decision.outcome === 'verified' ? `verified at level ${decision.level} until ${decision.validUntil} (verification ${verificationId})` : 'not verified';
    await this.notifications.enqueue({
      event: 'decided',
      organizationId: assessment.organizationId,
      to: { roles: ['owner', 'editor'] },
      subject: `Decision: ${detail.service} is ${outcome}`,
      text: `${this.context.organization.name} has decided on your declaration of adherence for ${detail.service} to ${detail.code.version.title} ${detail.code.version.version}: ${outcome}.\n\n${decision.publicSummary}${decision.conditions ? `\n\nConditions: ${decision.conditions}` : ''}`,
      link: `/app/${detail.provider.slug}/assessments/${id}`,
      key: `decided:${id}:${assessment.round}`,
    });
    return this.tx.manager.getRepository(Decision).findOneByOrFail({ id: decision.id });
  }

  /** The second reviewer sends the proposal back to the lead, with the reason. */
  async giveBack(id: string, reason: string): Promise<Decision> {
    const under = await this.floor.enter(id, 'second', { allowPending: true });
    const decision = this.pendingOf(under);
    await this.settle(decision, 'return', { reviewedBy: this.context.userId!, reviewedAt: new Date(), returnReason: reason });
    await this.audit.record({ action: 'decision.returned', targetType: 'assessment', targetId: id, data: { decision: decision.id, reason } });
    return this.tx.manager.getRepository(Decision).findOneByOrFail({ id: decision.id });
  }

  private pendingOf({ assessment, detail }: UnderReview): Decision {
    const decision = detail.opened.pending;
    if (!decision) {
      throw new VerificationException(VerificationErrorCode.NoDecision, `The assessment is ${words(assessment.state)} with no decision waiting for approval; the lead reviewer proposes one first.`, { state: assessment.state });
    }
    if (decision.proposedBy === this.context.userId) {
      throw new VerificationException(VerificationErrorCode.FourEyes, 'You proposed this decision; another reviewer must approve or return it.');
    }
    return decision;
  }

  /** Applies a move of the table, only if no one settled the decision meanwhile. */
  private async settle(decision: Decision, name: keyof typeof DECISION_MOVES, changes: Partial<Decision>): Promise<void> {
    const move: Move<DecisionStatus> = DECISION_MOVES[name];
    if (!mayMake(this.context, move)) throw new AuthException(AuthErrorCode.Forbidden, `Your role does not allow you to ${move.verb} decisions.`);
    const unchanged = move.from.includes(decision.status) && (await moveRow(this.tx.manager, Decision, decision.id, { status: decision.status, version: decision.version }, { ...changes, status: move.to, version: decision.version + 1 }));
    if (!unchanged) throw new VerificationException(VerificationErrorCode.Stale, 'Someone settled this decision meanwhile; reload the review.');
  }

  private verifiedTerms({ detail }: UnderReview, input: ProposeDecisionDto): Pick<Decision, 'level' | 'validUntil' | 'conditions'> {
    const { suggestion } = detail.opened;
    if (suggestion.level === 0) {
      const missing = suggestion.missing.map((item) => item.requirementKey).join(', ');
      throw new VerificationException(VerificationErrorCode.LevelTooHigh, `No level is earned yet: level 1 needs ${missing} accepted.`, { level: [`no level is earned; accept ${missing} first`], missing: suggestion.missing });
    }
    const level = input.level ?? suggestion.level;
    if (level > suggestion.level) {
      const missing = suggestion.missing.map((item) => item.requirementKey).join(', ');
      const why = suggestion.level >= detail.assessment.targetLevel ? `the provider applied for level ${detail.assessment.targetLevel}` : `level ${suggestion.level + 1} needs ${missing} accepted`;
      throw new VerificationException(VerificationErrorCode.LevelTooHigh, `Level ${level} is not earned: the highest is ${suggestion.level}, because ${why}.`, { level: [`at most ${suggestion.level}`], missing: suggestion.missing });
    }
    const today = todayUtc();
    const validUntil = input.validUntil ?? addMonths(today, DEFAULT_VALIDITY_MONTHS);
    if (validUntil <= today) throw new InvalidInputException({ validUntil: ['validUntil must be a day after today'] });
    if (validUntil > addMonths(today, MAX_VALIDITY_MONTHS)) throw new InvalidInputException({ validUntil: [`validUntil must be within ${MAX_VALIDITY_MONTHS} months`] });
    return { level, validUntil, conditions: input.conditions ?? null };
  }

  private rejectedTerms(input: ProposeDecisionDto): Pick<Decision, 'level' | 'validUntil' | 'conditions'> {
    const extra = (['level', 'validUntil', 'conditions'] as const).filter((field) => input[field] !== undefined);
    if (extra.length > 0) throw new InvalidInputException(Object.fromEntries(extra.map((field) => [field, [`${field} applies only to a verified outcome`]])));
    return { level: null, validUntil: null, conditions: null };
  }

  /** The next id of the year, e.g. 2026-L2-0042: the counter moves with the approving transaction, so numbers have no gaps. */
  private async nextVerificationId(level: number): Promise<string> {
    const year = new Date().getUTCFullYear();
    const [{ last }] = (await this.tx.manager.query(
      `INSERT INTO verification_numbers (year, last) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last = verification_numbers.last + 1
       RETURNING last`,
      [year],
    )) as Array<{ last: number }>;
    return formatVerificationId(year, level, last);
  }
}

function snapshotOf({ detail }: UnderReview): DecisionSnapshot {
  const { submission, requirements, sections } = detail.opened;
  return {
    round: submission.round,
    submittedAt: submission.submittedAt.toISOString(),
    answers: requirements.map((item) => ({
      ...item.answer,
      finding: item.verdict ? { verdict: item.verdict, comment: item.finding?.comment ?? item.previousFinding?.comment ?? null } : null,
    })),
    sections: sections.map(({ section, summary }) => ({ key: section.key, publicSummary: summary?.publicSummary ?? null })),
  };
}

/** Every evidence revision the decision rests on, once each: hashes for all, titles only where the provider made them public. */
function manifestOf({ detail }: UnderReview) {
  const seen = new Map<string, { sha256: string; revision: number; title: string | null }>();
  for (const item of detail.opened.requirements) {
    for (const evidence of item.answer.evidence) {
      const key = `${evidence.id}:${evidence.revision}`;
      if (!seen.has(key)) seen.set(key, { sha256: evidence.sha256, revision: evidence.revision, title: evidence.confidentiality === 'public' ? evidence.title : null });
    }
  }
  return [...seen.values()];
}
