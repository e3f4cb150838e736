import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { SubmittedAssessments } from '../assessments/submitted-assessments';
import type { AssessmentSubmission, SubmittedAnswer } from '../assessments/entities/assessment-submission.entity';
import type { Assessment } from '../assessments/entities/assessment.entity';
import { CodesService, type FrozenVersion } from '../codes/codes.service';
import type { Requirement, Section } from '../codes/document/code-document';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import type { RegisterEntry } from '../register/entities/register-entry.entity';
import { Register } from '../register/register';
import { EvidenceContent } from '../evidence/evidence-content';
import { ServiceRegistry } from '../provider-services/service-registry';
import type { Organization } from '../tenancy/entities/organization.entity';
import { OrganizationsService } from '../tenancy/organizations.service';
import { UsersService } from '../tenancy/users.service';
import { effectiveVerdicts } from './effective-verdicts';
import { Decision } from './entities/decision.entity';
import { FindingNote } from './entities/finding-note.entity';
import { Finding, type Verdict } from './entities/finding.entity';
import type { ReviewDeclaration } from './entities/review-declaration.entity';
import type { Review } from './entities/review.entity';
import { SectionSummary } from './entities/section-summary.entity';
import { suggestLevel, type LevelSuggestion } from './level-suggestion';
import { ReviewAssignments, roleOf, type ReviewerRole } from './review-assignments';
import { diffAnswer, type AnswerChange } from './submission-diff';

export type NotedFinding = Finding & { note: string | null };

/** One requirement as the reviewer weighs it: the provider's answer beside the findings. */
export interface ReviewedRequirement {
  requirement: Requirement;
  sectionKey: string;
  answer: SubmittedAnswer;
  /** What changed since the previous round; null in the first round. */
  change: AnswerChange | null;
  finding: NotedFinding | null;
  previousFinding: NotedFinding | null;
  /** The verdict that stands: this round's, or an earlier one on an answer unchanged since. */
  verdict: Verdict | null;
}

export interface ReviewedSection {
  section: Omit<Section, 'requirements'>;
  requirements: ReviewedRequirement[];
  summary: SectionSummary | null;
  counts: Record<Verdict | 'open', number>;
}

/** What anyone in the monitoring body may see: who and what, but nothing the provider submitted. */
export interface ReviewOverview {
  assessment: Assessment;
  provider: Organization;
  service: string;
  code: FrozenVersion;
  review: Review | null;
  declarations: ReviewDeclaration[];
  /** Names of everyone the review mentions, by user id. */
  names: Map<string, string>;
  own: { declaration: ReviewDeclaration | null; role: ReviewerRole | null };
  registerEntry: RegisterEntry | null;
}

/** The submission itself, opened only to a member who has declared no conflict. */
export interface OpenedReview {
  submission: AssessmentSubmission;
  previous: AssessmentSubmission | null;
  requirements: ReviewedRequirement[];
  sections: ReviewedSection[];
  suggestion: LevelSuggestion;
  decisions: Decision[];
  pending: Decision | null;
  /** Where each link evidence of the submission points (`<evidence id>:<revision>` → address), for its assigned reviewers. */
  linkAddresses: Map<string, string>;
}

export type ReviewDetail = ReviewOverview & { opened: OpenedReview | null };

/** Reads a review: the overview for everyone in the monitoring body, the submission for declared members. */
@Injectable()
export class ReviewWorkspace {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly assessments: SubmittedAssessments,
    private readonly assignments: ReviewAssignments,
    private readonly codes: CodesService,
    private readonly organizations: OrganizationsService,
    private readonly services: ServiceRegistry,
    private readonly users: UsersService,
    private readonly register: Register,
    private readonly evidenceContent: EvidenceContent,
  ) {}

  async detail(id: string, preloaded?: Assessment): Promise<ReviewDetail> {
    const overview = await this.overview(preloaded ?? (await this.assessments.addressed(id)));
    const declared = overview.own.declaration && !overview.own.declaration.conflict;
    const opened = declared ? await this.open(overview) : null;
    // Everyone the review names, read at once: reviewers, declarants, and whoever wrote a finding, summary or decision.
    const people = [
      ...overview.declarations.map((declaration) => declaration.userId),
      ...(overview.review ? [overview.review.leadReviewerId, overview.review.secondReviewerId, overview.review.assignedBy] : []),
      ...(opened
        ? [
            ...opened.requirements.flatMap((item) => [item.finding?.updatedBy, item.previousFinding?.updatedBy]),
            ...opened.sections.map((section) => section.summary?.updatedBy),
            ...opened.decisions.flatMap((decision) => [decision.proposedBy, decision.reviewedBy]),
          ]
        : []),
    ].filter((person): person is string => typeof person === 'string');
    return { ...overview, names: await this.users.namesByIds(people), opened };
  }

  private async overview(assessment: Assessment): Promise<Omit<ReviewOverview, 'names'>> {
    const [providers, services, code, review, declarations, registerEntry] = await Promise.all([
      this.organizations.byIds([assessment.organizationId]),
      this.services.namesByIds([assessment.serviceId]),
      this.codes.frozenVersion(assessment.codeVersionId),
      this.assignments.review(assessment.id),
      this.assignments.declarations(assessment.id),
      this.register.entryOf(assessment.id),
    ]);
    const userId = this.context.userId;
    return {
      assessment,
      provider: providers.get(assessment.organizationId)!,
      service: services.get(assessment.serviceId) ?? '',
      code,
      review,
      declarations,
      own: { declaration: declarations.find((declaration) => declaration.userId === userId) ?? null, role: review && userId ? roleOf(review, userId) : null },
      registerEntry,
    };
  }

  private async open(overview: Omit<ReviewOverview, 'names'>): Promise<OpenedReview> {
    const { assessment, code } = overview;
    const manager = this.tx.manager;
    const [rounds, findings, summaries, decisions] = await Promise.all([
      this.assessments.submittedRounds(assessment),
      manager.getRepository(Finding).find({ where: { assessmentId: assessment.id, organizationId: this.context.organizationId } }),
      manager.getRepository(SectionSummary).find({ where: { assessmentId: assessment.id, organizationId: this.context.organizationId } }),
      manager.getRepository(Decision).find({ where: { assessmentId: assessment.id, organizationId: this.context.organizationId }, order: { proposedAt: 'DESC' } }),
    ]);
    const notes = findings.length === 0 ? [] : await manager.getRepository(FindingNote).findBy({ findingId: In(findings.map((finding) => finding.id)) });
    const noteOf = new Map(notes.map((note) => [note.findingId, note.note]));
    const noted = (finding: Finding | undefined): NotedFinding | null => (finding ? Object.assign(finding, { note: noteOf.get(finding.id) ?? null }) : null);
    const at = new Map(findings.map((finding) => [`${finding.round}:${finding.requirementKey}`, finding]));

    const submission = rounds[rounds.length - 1];
    const previous = rounds.length > 1 ? rounds[rounds.length - 2] : null;
    const earlier = new Map((previous?.snapshot.answers ?? []).map((answer) => [answer.requirementKey, answer]));
    const verdicts = effectiveVerdicts(rounds.map(({ round, snapshot }) => ({ round, answers: snapshot.answers })), findings);
    const index = new Map(code.document.sections.flatMap((section) => section.requirements.map((requirement) => [requirement.key, { requirement, sectionKey: section.key }] as const)));
    const requirements: ReviewedRequirement[] = submission.snapshot.answers.map((answer) => ({
      ...index.get(answer.requirementKey)!,
      answer,
      change: previous ? diffAnswer(earlier.get(answer.requirementKey), answer) : null,
      finding: noted(at.get(`${submission.round}:${answer.requirementKey}`)),
      previousFinding: previous ? noted(at.get(`${previous.round}:${answer.requirementKey}`)) : null,
      verdict: verdicts.get(answer.requirementKey) ?? null,
    }));
    const summaryOf = new Map(summaries.map((summary) => [summary.sectionKey, summary]));
    const sections = code.document.sections
      .map(({ requirements: _all, ...section }) => {
        const inSection = requirements.filter((item) => item.sectionKey === section.key);
        const counts = { accepted: 0, changes_requested: 0, rejected: 0, open: 0 };
        for (const item of inSection) counts[item.verdict ?? 'open'] += 1;
        return { section, requirements: inSection, summary: summaryOf.get(section.key) ?? null, counts };
      })
      .filter((section) => section.requirements.length > 0);
    const links = [...(previous?.snapshot.answers ?? []), ...submission.snapshot.answers].flatMap((answer) => answer.evidence.filter((item) => item.kind === 'link'));
    const linkAddresses = overview.own.role ? await this.evidenceContent.reviewedLinks(assessment.organizationId, links) : new Map<string, string>();
    return {
      linkAddresses,
      submission,
      previous,
      requirements,
      sections,
      suggestion: suggestLevel(requirements.map((item) => ({ key: item.requirement.key, level: item.requirement.level })), verdicts, assessment.targetLevel),
      decisions,
      pending: decisions.find((decision) => decision.status === 'proposed') ?? null,
    };
  }
}
