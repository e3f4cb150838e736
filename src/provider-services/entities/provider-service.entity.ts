import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Profile } from '../../codes/document/code-document';

/** An online service or detection tool a provider declares adherence for, described once by its profile. */
@Entity('services')
export class ProviderService {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  name: string;

  /** What the name shares with any name a reader could take for it (nameSkeleton); unique within the organization. */
  @Column({ name: 'name_skeleton', type: 'text', nullable: true, select: false })
  nameSkeleton: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', nullable: true })
  url: string | null;

  /** Answers to the codes' profile questions, by question key. */
  @Column({ type: 'jsonb' })
  profile: Profile;

  @Column({ type: 'integer' })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
