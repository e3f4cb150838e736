import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CLAIMS = ['met', 'partially_met', 'not_met', 'not_applicable'] as const;
export type Claim = (typeof CLAIMS)[number];

/** How an answer came to be when the assessment was started from an earlier one. */
export type Carried = 'copied' | 'new' | 'changed';

/** The provider's answer to one applicable requirement. */
@Entity('answers')
export class Answer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'assessment_id', type: 'uuid' })
  assessmentId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'requirement_key', type: 'text' })
  requirementKey: string;

  /** The requirement's order in its code version. */
  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'text', nullable: true })
  claim: Claim | null;

  @Column({ type: 'text', nullable: true })
  statement: string | null;

  @Column({ type: 'text', nullable: true })
  justification: string | null;

  @Column({ type: 'text', nullable: true })
  carried: Carried | null;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
