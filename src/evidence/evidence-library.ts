import { Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { In, SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { inBatches } from '../common/in-batches';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { CreateEvidenceDto, EvidenceFieldsDto } from './dto/create-evidence.dto';
import { EvidenceDatesDto } from './dto/evidence-dates.dto';
import type { EvidenceListQueryDto } from './dto/evidence-list-query.dto';
import { NewRevisionDto } from './dto/new-revision.dto';
import type { UpdateEvidenceDto } from './dto/update-evidence.dto';
import { EvidenceRevision } from './entities/evidence-revision.entity';
import { Evidence, EvidenceKind } from './entities/evidence.entity';
import { EvidenceErrorCode, EvidenceException } from './evidence.exception';
import { EvidenceStatus, evidenceStatus, todayIso } from './evidence-status';
import { EvidenceUsage, EvidenceUse } from './evidence-usage';
import { EvidenceStorage } from './storage/evidence-storage';
import { CheckedUpload, fileContent, recordContent, RevisionContentFields, validateUploadFields } from './revision-content';
import { InvalidInputException } from '../common/validation/invalid-input.exception';

/** A piece of evidence with its current revision and whether that revision holds today. */
export interface EvidenceItem {
  evidence: Evidence;
  current: EvidenceRevision;
  status: EvidenceStatus;
}

export interface EvidenceDetail extends EvidenceItem {
  /** Newest first. */
  revisions: EvidenceRevision[];
  uses: EvidenceUse[];
}

/**
 * A provider's evidence library: files, links and texts, each with immutable revisions. A file is
 * streamed to a staging file first and stored under its SHA-256; its rows are written only once the
 * file is in place, and the file is removed again if they cannot be.
 */
@Injectable()
export class EvidenceLibrary {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly storage: EvidenceStorage,
    private readonly usage: EvidenceUsage,
  ) {}

  async list(query: EvidenceListQueryDto = {}): Promise<EvidenceItem[]> {
    return this.withCurrentRevision((builder) => {
      if (query.kind) builder.andWhere('evidence.kind = :kind', { kind: query.kind });
      if (query.q) {
        builder.andWhere(`(evidence.title ILIKE :pattern OR evidence.description ILIKE :pattern)`, { pattern: `%${query.q.replace(/[\\%_]/g, '\\$&')}%` });
      }
      builder.orderBy('lower(evidence.title)', 'ASC').addOrderBy('evidence.createdAt', 'DESC');
    });
  }

  async get(id: string): Promise<EvidenceDetail> {
    const evidence = await this.find(id);
    const revisions = await this.revisions.find({ where: { evidenceId: id }, order: { number: 'DESC' } });
    const current = revisions.find((revision) => revision.number === evidence.currentRevision)!;
    return { evidence, current, status: evidenceStatus(current), revisions, uses: await this.usage.of([id]) };
  }

  /** The organization's evidence among `ids`, with current revisions; ids of others are simply absent. */
  async items(ids: readonly string[]): Promise<Map<string, EvidenceItem>> {
    const found = await inBatches([...new Set(ids)], (batch) => this.withCurrentRevision((builder) => builder.andWhere('evidence.id = ANY(:batch)', { batch })));
    return new Map(found.map((item) => [item.evidence.id, item]));
  }

  /** Refuses ids that are not evidence of this organization, naming each by its place in `field`. */
  async requireOwn(ids: readonly string[], field: string): Promise<void> {
    const rows = await inBatches([...new Set(ids)], (batch) => this.evidence.find({ where: { id: In(batch), organizationId: this.context.organizationId }, select: { id: true } }));
    const known = new Set(rows.map((row) => row.id));
    const problems = Object.fromEntries(
      ids.flatMap((id, index) => (known.has(id) ? [] : [[`${field}[${index}]`, [`${id} is not evidence in your library`]]])),
    );
    if (Object.keys(problems).length > 0) throw new InvalidInputException(problems);
  }

  async addRecord(input: CreateEvidenceDto): Promise<EvidenceDetail> {
    const evidence = await this.insertEvidence(input.kind, input);
    await this.insertRevision(evidence, 1, recordContent(input), input);
    await this.audit.record({ action: 'evidence.created', targetType: 'evidence', targetId: evidence.id, data: { kind: input.kind, title: evidence.title } });
    return this.get(evidence.id);
  }

  /** A streamed file upload: runs outside the request transaction, which it opens only once the file is staged. */
  async addFile(upload: CheckedUpload): Promise<EvidenceDetail> {
    return this.storeUpload(upload, EvidenceFieldsDto, async (fields) => {
      const evidence = await this.insertEvidence('file', fields);
      await this.insertRevision(evidence, 1, fileContent(upload), fields);
      await this.audit.record({ action: 'evidence.created', targetType: 'evidence', targetId: evidence.id, data: { kind: 'file', title: evidence.title, sha256: upload.file.sha256 } });
      await this.recordConfirmation(evidence.id, 1, upload);
      return evidence.id;
    });
  }

  async addFileRevision(id: string, upload: CheckedUpload): Promise<EvidenceDetail> {
    return this.storeUpload(upload, EvidenceDatesDto, async (fields) => {
      const evidence = await this.findForRevision(id);
      if (evidence.kind !== 'file') throw new EvidenceException(EvidenceErrorCode.KindMismatch, `This evidence is a ${evidence.kind}; a new revision must be a ${evidence.kind} too.`);
      const number = await this.insertRevision(evidence, evidence.currentRevision + 1, fileContent(upload), fields);
      await this.audit.record({ action: 'evidence.revised', targetType: 'evidence', targetId: id, data: { revision: number, sha256: upload.file.sha256 } });
      await this.recordConfirmation(id, number, upload);
      return id;
    });
  }

  /** What the uploader confirmed about the file, with its digest, in the audit chain. */
  private async recordConfirmation(id: string, revision: number, upload: CheckedUpload): Promise<void> {
    if (upload.confirmations.length === 0) return;
    await this.audit.record({
      action: 'evidence.confirmed',
      targetType: 'evidence',
      targetId: id,
      data: { revision, sha256: upload.file.sha256, confirmation: upload.confirmations.join('\n\n') },
    });
  }

  async addRecordRevision(id: string, input: NewRevisionDto): Promise<EvidenceDetail> {
    const evidence = await this.findForRevision(id);
    if (evidence.kind === 'file') throw new EvidenceException(EvidenceErrorCode.KindMismatch, 'This evidence is a file: upload the new revision as multipart/form-data with a `file` part.');
    const field = evidence.kind === 'link' ? 'url' : 'text';
    if (!input[field]) throw new InvalidInputException({ [field]: [`a new revision of a ${evidence.kind} needs ${field}`] });
    const number = await this.insertRevision(evidence, evidence.currentRevision + 1, recordContent({ kind: evidence.kind, ...input }), input);
    await this.audit.record({ action: 'evidence.revised', targetType: 'evidence', targetId: id, data: { revision: number } });
    return this.get(id);
  }

  async update(id: string, changes: UpdateEvidenceDto): Promise<EvidenceDetail> {
    const fields: Partial<Evidence> = { updatedBy: this.context.userId ?? null };
    if (changes.title !== undefined) fields.title = changes.title;
    if (changes.description !== undefined) fields.description = changes.description;
    if (changes.confidentiality !== undefined) fields.confidentiality = changes.confidentiality;
    const result = await this.tx.manager
      .createQueryBuilder()
      .update(Evidence)
      .set({ ...fields, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id AND organization_id = :organizationId AND version = :version', { id, organizationId: this.context.organizationId, version: changes.version })
      .execute();
    const detail = await this.get(id);
    if (!result.affected) {
      throw new EvidenceException(
        EvidenceErrorCode.StaleVersion,
        `${detail.evidence.title} was changed by someone else at ${detail.evidence.updatedAt.toISOString()} (it is now at version ${detail.evidence.version}, your change was based on ${changes.version}); reload and apply your change again.`,
        { currentVersion: detail.evidence.version, updatedAt: detail.evidence.updatedAt.toISOString() },
      );
    }
    await this.audit.record({ action: 'evidence.updated', targetType: 'evidence', targetId: id, data: { fields: Object.keys(fields).filter((key) => key !== 'updatedBy') } });
    return detail;
  }

  /**
   * Validates an upload's text fields, then, in one transaction, moves the staged file into storage
   * and writes the rows. Two uploads of the same bytes take turns, so one never removes an object the
   * other has just linked. Not run again after a collision (a 409): the staged file went to storage.
   */
  private async storeUpload<T extends object>(upload: CheckedUpload, fieldsType: new () => T, write: (fields: T) => Promise<string>): Promise<EvidenceDetail> {
    const organizationId = this.context.organizationId;
    try {
        const fields = await validateUploadFields(fieldsType, upload);
      return await this.tx.runScoped({ organizationId, userId: this.context.userId }, async () => {
        await this.tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`evidence-object:${organizationId}:${upload.file.sha256}`]);
        const { created } = await this.storage.put(organizationId, upload.file);
        try {
          return await this.get(await write(fields));
        } catch (error) {
          if (created) await this.storage.remove(organizationId, upload.file.sha256);
          throw error;
        }
      }, { canRunAgain: () => false });
    } finally {
      await rm(upload.file.path, { force: true });
    }
  }

  private async insertEvidence(kind: EvidenceKind, fields: EvidenceFieldsDto): Promise<Evidence> {
    return this.evidence.save(
      this.evidence.create({
        organizationId: this.context.organizationId,
        kind,
        title: fields.title,
        description: fields.description ?? null,
        confidentiality: fields.confidentiality ?? 'monitoring_body',
        currentRevision: 1,
        version: 1,
        createdBy: this.context.userId ?? null,
        updatedBy: this.context.userId ?? null,
      }),
    );
  }

  /** Writes revision `number` and makes it current. */
  private async insertRevision(evidence: Evidence, number: number, content: RevisionContentFields, dates: EvidenceDatesDto): Promise<number> {
    const effectiveDate = dates.effectiveDate || todayIso();
    const expiresAt = dates.expiresAt || null;
    if (expiresAt !== null && expiresAt <= effectiveDate) {
      throw new InvalidInputException({ expiresAt: [`expiresAt must come after the effective date (${effectiveDate})`] });
    }
    await this.revisions.insert({
      ...content,
      evidenceId: evidence.id,
      organizationId: evidence.organizationId,
      number,
      effectiveDate,
      expiresAt,
      note: dates.note || null,
      createdBy: this.context.userId ?? null,
    });
    if (number > 1) {
      await this.evidence.update({ id: evidence.id }, { currentRevision: number, version: () => 'version + 1', updatedBy: this.context.userId ?? null, updatedAt: () => 'now()' });
    }
    return number;
  }

  private async find(id: string): Promise<Evidence> {
    const evidence = await this.evidence.findOneBy({ id, organizationId: this.context.organizationId });
    if (!evidence) throw new EvidenceException(EvidenceErrorCode.NotFound, 'There is no such evidence in this organization.');
    return evidence;
  }

  /** The evidence, locked so that two new revisions never take the same number. */
  private async findForRevision(id: string): Promise<Evidence> {
    const evidence = await this.evidence
      .createQueryBuilder('evidence')
      .setLock('pessimistic_write')
      .where('evidence.id = :id AND evidence.organizationId = :organizationId', { id, organizationId: this.context.organizationId })
      .getOne();
    if (!evidence) throw new EvidenceException(EvidenceErrorCode.NotFound, 'There is no such evidence in this organization.');
    return evidence;
  }

  /** The organization's evidence, each with its current revision, in one query that `narrow` may filter and order. */
  private async withCurrentRevision(narrow: (builder: SelectQueryBuilder<EvidenceRevision>) => void): Promise<EvidenceItem[]> {
    const builder = this.revisions
      .createQueryBuilder('revision')
      .innerJoinAndMapOne('revision.evidence', Evidence, 'evidence', 'evidence.id = revision.evidenceId AND evidence.currentRevision = revision.number')
      .where('evidence.organizationId = :organizationId', { organizationId: this.context.organizationId });
    narrow(builder);
    const today = todayIso();
    return ((await builder.getMany()) as Array<EvidenceRevision & { evidence: Evidence }>).map(({ evidence, ...current }) => ({
      evidence,
      current: current as EvidenceRevision,
      status: evidenceStatus(current, today),
    }));
  }

  private get evidence() {
    return this.tx.manager.getRepository(Evidence);
  }

  private get revisions() {
    return this.tx.manager.getRepository(EvidenceRevision);
  }
}
