import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

const bigintAsNumber = { to: (value: number) => value, from: (value: string | number) => Number(value) };

/**
 * One version of a piece of evidence, never changed once written: a file (stored by its SHA-256), a
 * link or a text. Links and texts are hashed too, so a submission can prove what it pointed at.
 */
@Entity('evidence_revisions')
export class EvidenceRevision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'evidence_id', type: 'uuid' })
  evidenceId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'text' })
  sha256: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  size: number;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  @Column({ name: 'file_name', type: 'text', nullable: true })
  fileName: string | null;

  @Column({ type: 'text', nullable: true })
  url: string | null;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  /**
   * Whether the file holds raster pictures inside (a PDF, an office document, an archive), as found
   * when it was uploaded; null for other files, links and texts, and for files stored before files
   * were opened.
   */
  @Column({ name: 'embeds_images', type: 'boolean', nullable: true })
  embedsImages: boolean | null;

  /** For an archive, the media types of everything in it, nested archives included. */
  @Column({ name: 'member_types', type: 'text', array: true, nullable: true })
  memberTypes: string[] | null;

  /** From when the evidence holds (YYYY-MM-DD). */
  @Column({ name: 'effective_date', type: 'date' })
  effectiveDate: string;

  /** The first day it no longer holds (YYYY-MM-DD), if it expires. */
  @Column({ name: 'expires_at', type: 'date', nullable: true })
  expiresAt: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
