import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const REGISTER_STATUSES = ['verified', 'suspended', 'revoked', 'expired'] as const;
export type RegisterStatus = (typeof REGISTER_STATUSES)[number];

export interface PublicSectionSummary {
  key: string;
  title: string;
  publicSummary: string | null;
}

/** One piece of evidence as the public may know it: its hash always, its title only if the provider made it public. */
export interface ManifestItem {
  sha256: string;
  revision: number;
  title: string | null;
}

/** The public projection of the latest final decision on a service's adherence to a code. */
@Entity('register_entries')
export class RegisterEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  /** The names below are those the decision was made under, frozen with it. */
  @Column({ name: 'provider_name', type: 'text' })
  providerName: string;

  @Column({ name: 'provider_country', type: 'char', length: 2, nullable: true })
  providerCountry: string | null;

  @Column({ name: 'service_name', type: 'text' })
  serviceName: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @Column({ name: 'code_id', type: 'uuid' })
  codeId: string;

  @Column({ name: 'code_slug', type: 'text' })
  codeSlug: string;

  @Column({ name: 'code_title', type: 'text' })
  codeTitle: string;

  @Column({ name: 'code_version_id', type: 'uuid' })
  codeVersionId: string;

  @Column({ name: 'code_version', type: 'text' })
  codeVersion: string;

  @Column({ name: 'monitoring_body_id', type: 'uuid' })
  monitoringBodyId: string;

  @Column({ name: 'monitoring_body_name', type: 'text' })
  monitoringBodyName: string;

  @Column({ name: 'assessment_id', type: 'uuid' })
  assessmentId: string;

  @Column({ name: 'decision_id', type: 'uuid' })
  decisionId: string;

  @Column({ name: 'verification_id', type: 'text' })
  verificationId: string;

  @Column({ type: 'text' })
  status: RegisterStatus;

  @Column({ type: 'integer' })
  level: number;

  @Column({ name: 'first_verified_at', type: 'timestamptz' })
  firstVerifiedAt: Date;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt: Date;

  @Column({ name: 'valid_until', type: 'date' })
  validUntil: string;

  @Column({ type: 'text', nullable: true })
  conditions: string | null;

  @Column({ name: 'public_summary', type: 'text' })
  publicSummary: string;

  @Column({ name: 'section_summaries', type: 'jsonb' })
  sectionSummaries: PublicSectionSummary[];

  @Column({ name: 'evidence_manifest', type: 'jsonb' })
  evidenceManifest: ManifestItem[];

  /** The Merkle root of the manifest's digests (see merkle-root.ts). */
  @Column({ name: 'evidence_root', type: 'text' })
  evidenceRoot: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
