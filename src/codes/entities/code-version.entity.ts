import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Changelog, Level, ProfileQuestion } from '../document/code-document';
import type { EvidencePolicy } from '../document/evidence-policy';

export type CodeVersionStatus = 'draft' | 'published' | 'retired';

/** One version of a code: a draft until published, then frozen; retired when no longer offered. */
@Entity('code_versions')
export class CodeVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'code_id', type: 'uuid' })
  codeId: string;

  @Column({ type: 'text' })
  version: string;

  @Column({ type: 'text' })
  status: CodeVersionStatus;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  owner: string;

  @Column({ type: 'text' })
  summary: string;

  @Column({ name: 'effective_date', type: 'date' })
  effectiveDate: string;

  @Column({ type: 'jsonb' })
  levels: Level[];

  @Column({ name: 'profile_questions', type: 'jsonb' })
  profileQuestions: ProfileQuestion[];

  /** What changed since an earlier version, and why; null in a version without a changelog. Read with the document only. */
  @Column({ type: 'jsonb', nullable: true, select: false })
  changelog: Changelog | null;

  /** The evidence policy this version declares; null when it declares none of its own. */
  @Column({ name: 'evidence_policy', type: 'jsonb', nullable: true })
  evidencePolicy: EvidencePolicy | null;

  @Column({ name: 'content_hash', type: 'text' })
  contentHash: string;

  /** The YAML exactly as imported. */
  @Column({ type: 'text', select: false })
  source: string;

  @Column({ name: 'imported_at', type: 'timestamptz', default: () => 'now()' })
  importedAt: Date;

  @Column({ name: 'imported_by', type: 'uuid', nullable: true })
  importedBy: string | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'published_by', type: 'uuid', nullable: true })
  publishedBy: string | null;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;

  @Column({ name: 'retired_by', type: 'uuid', nullable: true })
  retiredBy: string | null;
}
