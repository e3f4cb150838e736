import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who reviews an assessment for the monitoring body: a lead reviewer and a second, always two people. */
@Entity('reviews')
export class Review {
  @PrimaryColumn({ name: 'assessment_id', type: 'uuid' })
  assessmentId: string;

  /** The monitoring body. */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'lead_reviewer_id', type: 'uuid' })
  leadReviewerId: string;

  @Column({ name: 'second_reviewer_id', type: 'uuid' })
  secondReviewerId: string;

  @Column({ name: 'assigned_by', type: 'uuid', nullable: true })
  assignedBy: string | null;

  @Column({ name: 'assigned_at', type: 'timestamptz' })
  assignedAt: Date;

  @Column({ type: 'integer' })
  version: number;
}
