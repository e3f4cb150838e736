import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A reviewer's conflict-of-interest statement about one assessment, made before opening anything of it. Never changed. */
@Entity('review_declarations')
export class ReviewDeclaration {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'assessment_id', type: 'uuid' })
  assessmentId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'boolean' })
  conflict: boolean;

  @Column({ type: 'text' })
  statement: string;

  @Column({ name: 'declared_at', type: 'timestamptz' })
  declaredAt: Date;
}
