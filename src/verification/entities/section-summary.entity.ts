import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What the register will say about one section of a verified assessment. */
@Entity('section_summaries')
export class SectionSummary {
  @PrimaryColumn({ name: 'assessment_id', type: 'uuid' })
  assessmentId: string;

  @PrimaryColumn({ name: 'section_key', type: 'text' })
  sectionKey: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'public_summary', type: 'text' })
  publicSummary: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
