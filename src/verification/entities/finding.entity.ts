import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const VERDICTS = ['accepted', 'changes_requested', 'rejected'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The reviewer's verdict on one requirement in one round, with the comment the provider sees. */
@Entity('findings')
export class Finding {
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

  @Column({ name: 'requirement_key', type: 'text' })
  requirementKey: string;

  @Column({ type: 'text' })
  verdict: Verdict;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  /** Whether the provider can read it: from the moment changes are requested or the decision is final. */
  @Column({ type: 'boolean' })
  released: boolean;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
