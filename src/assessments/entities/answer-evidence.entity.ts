import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A piece of evidence backing an answer; the same evidence may back many answers. */
@Entity('answer_evidence')
export class AnswerEvidence {
  @PrimaryColumn({ name: 'answer_id', type: 'uuid' })
  answerId: string;

  @PrimaryColumn({ name: 'evidence_id', type: 'uuid' })
  evidenceId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;
}
