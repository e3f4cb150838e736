import { Injectable } from '@nestjs/common';
import { SubmittedAssessments } from '../assessments/submitted-assessments';
import { EvidenceContent, type RevisionContent } from '../evidence/evidence-content';
import { ReviewAssignments } from './review-assignments';
import { VerificationErrorCode, VerificationException } from './verification.exception';

/** The reviewer's way to the provider's evidence: only what a submission of this assessment names. */
@Injectable()
export class ReviewerEvidence {
  constructor(
    private readonly assessments: SubmittedAssessments,
    private readonly assignments: ReviewAssignments,
    private readonly evidence: EvidenceContent,
  ) {}

  async content(id: string, evidenceId: string, number: number): Promise<RevisionContent & { title: string }> {
    const assessment = await this.assessments.addressed(id);
    await this.assignments.requireReviewer(assessment);
    const rounds = await this.assessments.submittedRounds(assessment);
    const named = rounds
      .flatMap((submission) => submission.snapshot.answers.flatMap((answer) => answer.evidence))
      .find((evidence) => evidence.id === evidenceId && evidence.revision === number);
    if (!named) throw new VerificationException(VerificationErrorCode.EvidenceNotFound, `No submission of this assessment names revision ${number} of that evidence.`);
    return { ...(await this.evidence.reviewedContent(assessment.organizationId, named, number)), title: named.title };
  }
}
