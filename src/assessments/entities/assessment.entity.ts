import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Profile } from '../../codes/document/code-document';
import type { AssessmentState } from '../assessment-states';

/** A declaration of adherence: one service against one published code version, for one monitoring body. */
@Entity('assessments')
export class Assessment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @Column({ name: 'code_version_id', type: 'uuid' })
  codeVersionId: string;

  @Column({ name: 'monitoring_body_id', type: 'uuid' })
  monitoringBodyId: string;

  @Column({ name: 'target_level', type: 'integer' })
  targetLevel: number;

  @Column({ type: 'text' })
  state: AssessmentState;

  @Column({ type: 'integer' })
  round: number;

  /** The service's profile when the assessment started: it decided which requirements apply. */
  @Column({ type: 'jsonb' })
  profile: Profile;

  @Column({ name: 'copied_from_id', type: 'uuid', nullable: true })
  copiedFromId: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
