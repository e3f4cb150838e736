import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { OrganizationKind } from '../../common/request-context';

@Entity('organizations')
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: OrganizationKind;

  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  /** What the name shares with any name a reader could take for it (nameSkeleton); unique. NULL for a name kept from before the check. */
  @Column({ name: 'name_skeleton', type: 'text', nullable: true, select: false })
  nameSkeleton: string | null;

  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  @Column({ type: 'text', nullable: true })
  website: string | null;

  /** When the operator suspended the organization, if they did; its members and tokens are refused on its routes. */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt: Date | null;

  @Column({ name: 'suspended_reason', type: 'text', nullable: true })
  suspendedReason: string | null;
  /** Members must have a second factor to use the organization's routes (API tokens excepted). */
  @Column({ name: 'require_mfa', type: 'boolean', default: false })
  requireMfa: boolean;

  /** A monitoring body's consequential acts need a second factor given within the last 15 minutes. */
  @Column({ name: 'require_step_up', type: 'boolean', default: false })
  requireStepUp: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
