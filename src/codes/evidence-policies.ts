import { Injectable } from '@nestjs/common';
import semver from 'semver';
import { TransactionHost } from '../database/transaction-host';
import { AppliedEvidencePolicy, appliedPolicy, EvidencePolicy, strictestPolicy } from './document/evidence-policy';
import { Code } from './entities/code.entity';
import { CodeVersion } from './entities/code-version.entity';

type VersionRow = Pick<CodeVersion, 'id' | 'codeId' | 'version' | 'status' | 'title' | 'publishedAt' | 'evidencePolicy'>;

/** The policy a version is held to, and the version that declared it (itself, or a newer or older one of its code). */
export interface EffectivePolicy {
  policy: EvidencePolicy;
  declaredBy: { slug: string; title: string; version: string };
}

/**
 * Which evidence policy applies where. A version that declares no policy of its own takes the policy
 * of the newest published version of the same code that declares one, so a code that once asked for
 * strict evidence keeps asking for it; a code that never declared one is held to the platform's
 * default. Codes are few, so every question reads all their versions in one query.
 */
@Injectable()
export class EvidencePolicies {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * The policy every upload of an organization is checked against: the strictest among the published
   * code versions its services can be assessed under, which today are all of them for everyone.
   */
  async forUploads(): Promise<AppliedEvidencePolicy> {
    const { versions, slugs } = await this.catalogue();
    const open = versions.filter((version) => version.status === 'published');
    return strictestPolicy(open.flatMap((version) => this.applied(version, versions, slugs)));
  }

  /** The policy evidence linked to an answer under this code version is held to, with the one for uploads. */
  async forAnswersOf(codeVersionId: string): Promise<AppliedEvidencePolicy> {
    const { versions, slugs } = await this.catalogue();
    const version = versions.find((candidate) => candidate.id === codeVersionId);
    const own = version ? this.applied(version, versions, slugs) : [];
    const open = versions.filter((candidate) => candidate.status === 'published');
    return strictestPolicy([...own, ...open.flatMap((candidate) => this.applied(candidate, versions, slugs))]);
  }

  /** The policy a version is held to and where it was declared; null when the platform's default applies. */
  async effective(codeVersionId: string): Promise<EffectivePolicy | null> {
    const { versions, slugs } = await this.catalogue();
    const version = versions.find((candidate) => candidate.id === codeVersionId);
    const declaring = version && this.declaring(version, versions);
    if (!declaring) return null;
    return { policy: declaring.evidencePolicy!, declaredBy: { slug: slugs.get(declaring.codeId)!, title: declaring.title, version: declaring.version } };
  }

  private applied(version: VersionRow, versions: VersionRow[], slugs: Map<string, string>): AppliedEvidencePolicy[] {
    const declaring = this.declaring(version, versions);
    if (!declaring) return [];
    // Named by the version that declares it, so a code's versions that share one policy are named once.
    return [appliedPolicy(declaring.evidencePolicy!, { code: slugs.get(declaring.codeId)!, title: declaring.title, version: declaring.version })];
  }

  /** The version whose policy `version` follows: itself if it declares one, else its code's newest published one that does. */
  private declaring(version: VersionRow, versions: VersionRow[]): VersionRow | undefined {
    if (version.evidencePolicy) return version;
    return versions
      .filter((candidate) => candidate.codeId === version.codeId && candidate.publishedAt !== null && candidate.evidencePolicy !== null)
      .sort((a, b) => semver.rcompare(a.version, b.version))[0];
  }

  private async catalogue(): Promise<{ versions: VersionRow[]; slugs: Map<string, string> }> {
    const manager = this.tx.manager;
    const [versions, codes] = await Promise.all([
      manager.getRepository(CodeVersion).find({ select: { id: true, codeId: true, version: true, status: true, title: true, publishedAt: true, evidencePolicy: true } }),
      manager.getRepository(Code).find(),
    ]);
    return { versions, slugs: new Map(codes.map((code) => [code.id, code.slug])) };
  }
}
