import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('code_requirements')
export class CodeRequirement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'code_version_id', type: 'uuid' })
  codeVersionId: string;

  @Column({ name: 'section_id', type: 'uuid' })
  sectionId: string;

  @Column({ type: 'text' })
  key: string;

  /** Order within the whole code version. */
  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text', nullable: true })
  guidance: string | null;

  @Column({ type: 'text', nullable: true })
  evidence: string | null;

  @Column({ type: 'integer' })
  level: number;

  @Column({ name: 'evidence_required', type: 'boolean' })
  evidenceRequired: boolean;

  @Column({ name: 'applies_when', type: 'text', nullable: true })
  appliesWhen: string | null;
}
