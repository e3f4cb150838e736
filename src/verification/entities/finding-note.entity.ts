import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A reviewer's internal note on a finding: only the monitoring body ever reads it. */
@Entity('finding_notes')
export class FindingNote {
  @PrimaryColumn({ name: 'finding_id', type: 'uuid' })
  findingId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  note: string;
}
