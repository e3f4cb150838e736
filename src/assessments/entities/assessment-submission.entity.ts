import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Claim } from './answer.entity';

export interface SubmittedEvidence {
  id: string;
  title: string;
  kind: string;
  /** Whether the register may show its title; absent from submissions made before it was recorded. */
  confidentiality?: 'monitoring_body' | 'public';
  revision: number;
  sha256: string;
}

export interface SubmittedAnswer {
  requirementKey: string;
  claim: Claim | null;
  statement: string | null;
  justification: string | null;
  evidence: SubmittedEvidence[];
}

export interface SubmissionSnapshot {
  codeVersionId: string;
  targetLevel: number;
  answers: SubmittedAnswer[];
}

/** What was declared in one round, signed and frozen: the answers and the hash of every evidence revision used. */
@Entity('assessment_submissions')
export class AssessmentSubmission {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'assessment_id', type: 'uuid' })
  assessmentId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'integer' })
  round: number;

  @Column({ name: 'signatory_name', type: 'text' })
  signatoryName: string;

  @Column({ name: 'signatory_title', type: 'text' })
  signatoryTitle: string;

  @Column({ name: 'signed_by', type: 'uuid', nullable: true })
  signedBy: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt: Date;

  @Column({ type: 'jsonb' })
  snapshot: SubmissionSnapshot;
}
