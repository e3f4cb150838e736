import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SubmittedAnswer } from '../../assessments/entities/assessment-submission.entity';
import type { Verdict } from './finding.entity';

export type Outcome = 'verified' | 'rejected';
export type DecisionStatus = 'proposed' | 'returned' | 'approved';

/** What was decided, frozen at approval: the round's answers, findings and evidence hashes. */
export interface DecisionSnapshot {
  round: number;
  submittedAt: string;
  answers: Array<SubmittedAnswer & { finding: { verdict: Verdict; comment: string | null } | null }>;
  sections: Array<{ key: string; publicSummary: string | null }>;
}

/** A decision on an assessment: proposed by the lead reviewer, final only once the second approves it. */
@Entity('decisions')
export class Decision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The monitoring body. */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'assessment_id', type: 'uuid' })
  assessmentId: string;

  @Column({ type: 'integer' })
  round: number;

  @Column({ type: 'text' })
  outcome: Outcome;

  @Column({ type: 'integer', nullable: true })
  level: number | null;

  /** The last day the verification holds (a calendar date, YYYY-MM-DD). */
  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil: string | null;

  @Column({ type: 'text', nullable: true })
  conditions: string | null;

  @Column({ name: 'public_summary', type: 'text' })
  publicSummary: string;

  @Column({ type: 'text' })
  status: DecisionStatus;

  @Column({ name: 'proposed_by', type: 'uuid' })
  proposedBy: string;

  @Column({ name: 'proposed_at', type: 'timestamptz' })
  proposedAt: Date;

  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  @Column({ name: 'return_reason', type: 'text', nullable: true })
  returnReason: string | null;

  @Column({ name: 'verification_id', type: 'text', nullable: true })
  verificationId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  snapshot: DecisionSnapshot | null;

  @Column({ type: 'integer' })
  version: number;
}
