import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { EvidenceRevision } from './entities/evidence-revision.entity';
import { Evidence } from './entities/evidence.entity';
import { EvidenceErrorCode, EvidenceException } from './evidence.exception';
import { EvidenceStorage } from './storage/evidence-storage';

/** The content of one revision, ready to send. */
export interface RevisionContent {
  revision: EvidenceRevision;
  stream: Readable;
}

/** What a revision holds: for the provider that owns it, and for the reviewers row-level security lets read it. */
@Injectable()
export class EvidenceContent {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly storage: EvidenceStorage,
  ) {}

  async revision(id: string, number: number): Promise<{ evidence: Evidence; revision: EvidenceRevision }> {
    const evidence = await this.tx.manager.getRepository(Evidence).findOneBy({ id, organizationId: this.context.organizationId });
    if (!evidence) throw new EvidenceException(EvidenceErrorCode.NotFound, 'There is no such evidence in this organization.');
    const revision = await this.revisions.findOneBy({ evidenceId: id, number });
    if (!revision) throw new EvidenceException(EvidenceErrorCode.RevisionNotFound, `${evidence.title} has no revision ${number}; it has ${evidence.currentRevision}.`);
    return { evidence, revision };
  }

  /** The bytes of a revision: a stored file, or the text itself. A link has no content of its own. */
  async content(id: string, number: number): Promise<RevisionContent> {
    const { evidence, revision } = await this.revision(id, number);
    if (evidence.kind === 'link') throw new EvidenceException(EvidenceErrorCode.NoContent, `${evidence.title} is a link: open ${revision.url}.`);
    const stream = evidence.kind === 'text' ? Readable.from([Buffer.from(revision.body ?? '', 'utf8')]) : Readable.from(await this.storage.open(this.context.organizationId, revision.sha256));
    return { revision, stream };
  }

  /**
   * A revision of another organization's evidence, for a monitoring body's reviewer: row-level security
   * lets the revision be read only by an assigned reviewer who declared no conflict, and only when a
   * submission addressed to that body names it.
   */
  async reviewedContent(ownerId: string, evidence: { id: string; kind: string; title: string }, number: number): Promise<RevisionContent> {
    const revision = await this.revisions.findOneBy({ evidenceId: evidence.id, organizationId: ownerId, number });
    if (!revision) throw new EvidenceException(EvidenceErrorCode.RevisionNotFound, `Revision ${number} of ${evidence.title} is not open to you.`);
    if (evidence.kind === 'link') throw new EvidenceException(EvidenceErrorCode.NoContent, `${evidence.title} is a link: open ${revision.url}.`);
    const stream = evidence.kind === 'text' ? Readable.from([Buffer.from(revision.body ?? '', 'utf8')]) : Readable.from(await this.storage.open(ownerId, revision.sha256));
    return { revision, stream };
  }

  /**
   * The addresses of another organization's link revisions, by `<evidence id>:<revision>`, for its
   * reviewer; row-level security leaves out any the caller may not read.
   */
  async reviewedLinks(ownerId: string, refs: ReadonlyArray<{ id: string; revision: number }>): Promise<Map<string, string>> {
    if (refs.length === 0) return new Map();
    const rows = (await this.tx.manager.query(
      `SELECT r.evidence_id AS id, r.number, r.url FROM evidence_revisions r
         JOIN unnest($2::uuid[], $3::int[]) AS wanted (id, number) ON wanted.id = r.evidence_id AND wanted.number = r.number
        WHERE r.organization_id = $1 AND r.url IS NOT NULL`,
      [ownerId, refs.map((ref) => ref.id), refs.map((ref) => ref.revision)],
    )) as Array<{ id: string; number: number; url: string }>;
    return new Map(rows.map((row) => [`${row.id}:${row.number}`, row.url]));
  }

  private get revisions() {
    return this.tx.manager.getRepository(EvidenceRevision);
  }
}
