import { Injectable } from '@nestjs/common';
import { AssessmentLifecycle } from '../assessments/assessment-lifecycle';
import { AuditService } from '../audit/audit.service';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { Notifications } from '../notifications/notifications';
import type { RecordFindingDto } from './dto/record-finding.dto';
import type { SectionSummaryDto } from './dto/section-summary.dto';
import { FindingNote } from './entities/finding-note.entity';
import { Finding } from './entities/finding.entity';
import { SectionSummary } from './entities/section-summary.entity';
import { ReviewFloor } from './review-floor';
import { ReviewWorkspace, type NotedFinding, type ReviewDetail } from './review-workspace';
import { VerificationErrorCode, VerificationException } from './verification.exception';

/** The reviewers' findings per requirement, their public section summaries, and sending findings back. */
@Injectable()
export class FindingsBook {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly floor: ReviewFloor,
    private readonly workspace: ReviewWorkspace,
    private readonly lifecycle: AssessmentLifecycle,
    private readonly notifications: Notifications,
  ) {}

  async record(id: string, requirementKey: string, input: RecordFindingDto): Promise<NotedFinding> {
    const { assessment, detail } = await this.floor.enter(id);
    const item = detail.opened.requirements.find((candidate) => candidate.requirement.key === requirementKey);
    if (!item) throw new VerificationException(VerificationErrorCode.RequirementNotFound, `${requirementKey} is not a requirement of this submission.`);
    if (input.verdict !== 'accepted' && !input.comment) {
      throw new InvalidInputException({ comment: [`comment must tell the provider what is wrong when the verdict is ${input.verdict}`] });
    }
    const existing = item.finding;
    if (existing && input.version !== undefined && input.version !== existing.version) throw stale(existing);
    const repository = this.tx.manager.getRepository(Finding);
    const values = { verdict: input.verdict, comment: input.comment ?? null, updatedBy: this.context.userId ?? null, updatedAt: new Date() };
    let findingId: string;
    if (existing) {
      const result = await repository.update({ id: existing.id, version: existing.version }, { ...values, version: existing.version + 1 });
      if (!result.affected) throw stale(existing);
      findingId = existing.id;
    } else {
      const created = repository.create({
        ...values,
        organizationId: this.context.organizationId,
        providerId: assessment.organizationId,
        assessmentId: id,
        round: assessment.round,
        requirementKey,
        released: false,
        version: 1,
      });
      findingId = (await repository.save(created)).id;
    }
    await this.keepNote(findingId, input.internalNote);
    await this.audit.record({ action: 'finding.recorded', targetType: 'assessment', targetId: id, data: { round: assessment.round, requirementKey, verdict: input.verdict } });
    const saved = await repository.findOneByOrFail({ id: findingId });
    const note = await this.tx.manager.getRepository(FindingNote).findOneBy({ findingId });
    return Object.assign(saved, { note: note?.note ?? null });
  }

  async summarize(id: string, sectionKey: string, input: SectionSummaryDto): Promise<SectionSummary> {
    const { detail } = await this.floor.enter(id);
    const section = detail.opened.sections.find((candidate) => candidate.section.key === sectionKey);
    if (!section) throw new VerificationException(VerificationErrorCode.SectionNotFound, `${sectionKey} is not a section of this submission.`);
    const existing = section.summary;
    const repository = this.tx.manager.getRepository(SectionSummary);
    const values = { publicSummary: input.publicSummary, updatedBy: this.context.userId ?? null, updatedAt: new Date() };
    if (existing) {
      if (input.version !== undefined && input.version !== existing.version) throw staleSummary(existing);
      const result = await repository.update({ assessmentId: id, sectionKey, version: existing.version }, { ...values, version: existing.version + 1 });
      if (!result.affected) throw staleSummary(existing);
    } else {
      await repository.insert({ ...values, assessmentId: id, sectionKey, organizationId: this.context.organizationId, version: 1 });
    }
    await this.audit.record({ action: 'section_summary.saved', targetType: 'assessment', targetId: id, data: { sectionKey } });
    return repository.findOneByOrFail({ assessmentId: id, sectionKey });
  }

  /** Sends the round's findings to the provider and the assessment back to it. */
  /** Releases the round's findings to the provider and hands the declaration back; the review as it now stands. */
  async requestChanges(id: string): Promise<ReviewDetail> {
    const { assessment, detail } = await this.floor.enter(id, 'lead');
    const requested = detail.opened.requirements.filter((item) => item.verdict === 'changes_requested' || item.verdict === 'rejected');
    if (requested.length === 0) {
      throw new VerificationException(VerificationErrorCode.NothingRequested, 'No finding asks for a change: record changes_requested (or rejected) on the requirements to change first.');
    }
    await this.tx.manager.getRepository(Finding).update({ assessmentId: id, round: assessment.round }, { released: true });
    await this.lifecycle.apply(assessment, 'request_changes', {}, { requirements: requested.map((item) => item.requirement.key) });
    await this.notifications.enqueue({
      event: 'changes_requested',
      organizationId: assessment.organizationId,
      to: { roles: ['owner', 'editor'] },
      subject: `Changes requested: ${detail.service} (${detail.code.slug} ${detail.code.version.version}, round ${assessment.round})`,
      text: `${this.context.organization.name} asks for changes to ${requested.length} ${requested.length === 1 ? 'requirement' : 'requirements'}: ${requested.map((item) => item.requirement.key).join(', ')}. Each finding is shown on its requirement; change those answers and submit again.`,
      link: `/app/${detail.provider.slug}/assessments/${id}`,
      key: `changes_requested:${id}:${assessment.round}`,
    });
    return this.workspace.detail(id);
  }

  private async keepNote(findingId: string, note: string | null | undefined): Promise<void> {
    if (note === undefined) return;
    const notes = this.tx.manager.getRepository(FindingNote);
    if (note === null) await notes.delete({ findingId });
    else await notes.upsert({ findingId, organizationId: this.context.organizationId, note }, ['findingId']);
  }
}

function stale(finding: Finding): VerificationException {
  return new VerificationException(VerificationErrorCode.Stale, `Someone changed this finding at ${finding.updatedAt.toISOString()} (it is now ${finding.verdict}, version ${finding.version}); reload it before you change it.`, {
    current: { verdict: finding.verdict, comment: finding.comment, version: finding.version },
  });
}

function staleSummary(summary: SectionSummary): VerificationException {
  return new VerificationException(VerificationErrorCode.Stale, `Someone changed this summary at ${summary.updatedAt.toISOString()} (version ${summary.version}); reload it before you change it.`, {
    current: { publicSummary: summary.publicSummary, version: summary.version },
  });
}
