import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const EVIDENCE_KINDS = ['file', 'link', 'text'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Who may see a piece of evidence: the provider and its monitoring body, or also the public register. */
export const CONFIDENTIALITIES = ['monitoring_body', 'public'] as const;
export type Confidentiality = (typeof CONFIDENTIALITIES)[number];

/** A document, link or text a provider keeps in its library; its content lives in immutable revisions. */
@Entity('evidence')
export class Evidence {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  kind: EvidenceKind;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text' })
  confidentiality: Confidentiality;

  @Column({ name: 'current_revision', type: 'integer' })
  currentRevision: number;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
