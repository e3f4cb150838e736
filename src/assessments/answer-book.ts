import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { inBatches } from '../common/in-batches';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { EvidencePolicies } from '../codes/evidence-policies';
import { EvidenceAcceptance } from '../evidence/evidence-acceptance';
import { EvidenceLibrary } from '../evidence/evidence-library';
import { UsersService } from '../tenancy/users.service';
import { EDITABLE_STATES, words } from './assessment-lifecycle';
import { AssessmentsErrorCode, AssessmentsException } from './assessments.exception';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { SaveAnswerDto, SectionAnswerDto } from './dto/save-answer.dto';
import { AnswerEvidence } from './entities/answer-evidence.entity';
import { Answer } from './entities/answer.entity';
import type { Assessment } from './entities/assessment.entity';

/** The fields of an answer a person writes. */
export type AnswerContent = Pick<SaveAnswerDto, 'claim' | 'statement' | 'justification' | 'evidenceIds'>;

/** A save that was based on an answer someone else has changed since. */
export interface AnswerConflict {
  requirementKey: string;
  currentVersion: number;
  updatedBy: string | null;
  updatedAt: string;
  current: AnswerContent;
}

/**
 * Writes answers. Each has a version: a save based on an older version is refused with who changed
 * it and when, so that no one's work is silently overwritten.
 */
@Injectable()
export class AnswerBook {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly evidence: EvidenceLibrary,
    private readonly users: UsersService,
    private readonly policies: EvidencePolicies,
    private readonly acceptance: EvidenceAcceptance,
  ) {}

  /** Evidence ids linked to each answer. */
  async links(answerIds: readonly string[]): Promise<Map<string, string[]>> {
    const links = new Map<string, string[]>(answerIds.map((id) => [id, []]));
    const rows = await inBatches(answerIds, (batch) => this.tx.manager.getRepository(AnswerEvidence).find({ where: { answerId: In(batch) }, order: { evidenceId: 'ASC' } }));
    for (const row of rows) links.get(row.answerId)!.push(row.evidenceId);
    return links;
  }

  async save(assessment: Assessment, requirementKey: string, input: SaveAnswerDto): Promise<Answer> {
    requireEditable(assessment);
    await this.evidence.requireOwn(input.evidenceIds, 'evidenceIds');
    await this.requireAccepted(assessment, input.evidenceIds);
    // Written first and checked by the write itself: the usual save costs no read.
    const saved = await this.write(assessment, requirementKey, input.version, input);
    await this.recordSaved(assessment, 'answer.saved', [saved]);
    return saved;
  }

  /**
   * Saves several answers at once, all or none. Only answers that differ from what is stored are
   * written, so a colleague's change to another answer of the same form is no conflict.
   */
  async saveMany(assessment: Assessment, inputs: readonly SectionAnswerDto[]): Promise<Answer[]> {
    requireEditable(assessment);
    const twice = inputs.map((input) => input.requirementKey).filter((key, index, keys) => keys.indexOf(key) !== index);
    if (twice.length > 0) throw new InvalidInputException({ answers: [...new Set(twice)].map((key) => `${key} is sent more than once; send each answer once`) });
    await this.evidence.requireOwn(inputs.flatMap((input) => input.evidenceIds), 'evidenceIds');
    await this.requireAccepted(assessment, inputs.flatMap((input) => input.evidenceIds));
    const answers = await inBatches(
      inputs.map((input) => input.requirementKey),
      (batch) => this.tx.manager.getRepository(Answer).find({ where: { assessmentId: assessment.id, requirementKey: In(batch) } }),
    );
    const byKey = new Map(answers.map((answer) => [answer.requirementKey, answer]));
    const unknown = inputs.filter((input) => !byKey.has(input.requirementKey)).map((input) => input.requirementKey);
    if (unknown.length > 0) throw notInAssessment(unknown);
    const links = await this.links(answers.map((answer) => answer.id));
    const changed = inputs.filter((input) => !sameContent(byKey.get(input.requirementKey)!, links.get(byKey.get(input.requirementKey)!.id)!, input));
    const stale = changed.filter((input) => byKey.get(input.requirementKey)!.version !== input.version).map((input) => byKey.get(input.requirementKey)!);
    if (stale.length > 0) throw await this.staleError(stale);
    // Written in key order, as every save of several answers is: two saves of the same answers then
    // wait for each other instead of deadlocking.
    const written = new Map<string, Answer>();
    for (const input of inKeyOrder(changed)) written.set(input.requirementKey, await this.write(assessment, input.requirementKey, input.version, input));
    const saved = changed.map((input) => written.get(input.requirementKey)!);
    if (saved.length > 0) await this.recordSaved(assessment, 'answers.saved', saved);
    return saved;
  }

  /** Sets the answers of a new assessment, e.g. those carried forward from an earlier one. */
  async seed(assessment: Assessment, answers: ReadonlyArray<Pick<Answer, 'requirementKey' | 'position' | 'claim' | 'statement' | 'justification' | 'carried'> & { evidenceIds: string[] }>): Promise<void> {
    await this.requireAccepted(assessment, answers.flatMap((answer) => answer.evidenceIds), 'copyFrom');
    const rows = answers.map(({ evidenceIds: _ignored, ...answer }) => ({
      ...answer,
      assessmentId: assessment.id,
      organizationId: assessment.organizationId,
      version: 1,
      updatedBy: this.context.userId ?? null,
      updatedAt: new Date(),
    }));
    for (let start = 0; start < rows.length; start += 500) {
      await this.tx.manager.createQueryBuilder().insert().into(Answer).values(rows.slice(start, start + 500)).updateEntity(false).execute();
    }
    const inserted = await this.tx.manager.getRepository(Answer).find({ where: { assessmentId: assessment.id }, select: { id: true, requirementKey: true } });
    const ids = new Map(inserted.map((answer) => [answer.requirementKey, answer.id]));
    const links = answers.flatMap((answer) =>
      [...new Set(answer.evidenceIds)].map((evidenceId) => ({ answerId: ids.get(answer.requirementKey)!, evidenceId, organizationId: assessment.organizationId })),
    );
    for (let start = 0; start < links.length; start += 1000) {
      await this.tx.manager.createQueryBuilder().insert().into(AnswerEvidence).values(links.slice(start, start + 1000)).execute();
    }
  }

  async find(assessment: Assessment, requirementKey: string): Promise<Answer> {
    const answer = await this.tx.manager.getRepository(Answer).findOneBy({ assessmentId: assessment.id, requirementKey });
    if (!answer) throw notInAssessment([requirementKey]);
    return answer;
  }

  /** Evidence linked to an answer must be accepted by the code version's policy and by the one for uploads. */
  private async requireAccepted(assessment: Assessment, evidenceIds: readonly string[], field = 'evidenceIds'): Promise<void> {
    if (evidenceIds.length === 0) return;
    await this.acceptance.requireAcceptedUnder(await this.policies.forAnswersOf(assessment.codeVersionId), evidenceIds, field);
  }

  /** One audit event per save, however many answers it changed. */
  async recordSaved(assessment: Assessment, action: string, saved: readonly Answer[]): Promise<void> {
    await this.audit.record({
      action,
      targetType: 'assessment',
      targetId: assessment.id,
      data: { answers: saved.map(({ requirementKey, version, claim }) => ({ requirementKey, version, claim })) },
    });
  }

  /** Writes an answer of `assessment` if it is still at `version`; a stale one is refused with who changed it. */
  async write(assessment: Assessment, requirementKey: string, version: number, input: AnswerContent): Promise<Answer> {
    const result = await this.tx.manager
      .createQueryBuilder()
      .update(Answer)
      .set({
        claim: input.claim ?? null,
        statement: input.statement ?? null,
        justification: input.justification ?? null,
        updatedBy: this.context.userId ?? null,
        version: () => 'version + 1',
        updatedAt: () => 'now()',
      })
      .where('assessment_id = :assessmentId AND requirement_key = :requirementKey AND version = :version', { assessmentId: assessment.id, requirementKey, version })
      .returning('id, position, carried, version, updated_at')
      .execute();
    const [row] = result.raw as Array<{ id: string; position: number; carried: Answer['carried']; version: number; updated_at: Date }>;
    if (!row) throw await this.staleError([await this.find(assessment, requirementKey)]);
    const evidenceIds = [...new Set(input.evidenceIds ?? [])].sort();
    // The links become exactly `evidenceIds`, in one statement.
    await this.tx.manager.query(
      `WITH unlinked AS (DELETE FROM answer_evidence WHERE answer_id = $1 AND NOT (evidence_id = ANY($2::uuid[])))
       INSERT INTO answer_evidence (answer_id, evidence_id, organization_id) SELECT $1, id, $3 FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING`,
      [row.id, evidenceIds, assessment.organizationId],
    );
    return {
      id: row.id,
      assessmentId: assessment.id,
      organizationId: assessment.organizationId,
      requirementKey,
      position: row.position,
      claim: input.claim ?? null,
      statement: input.statement ?? null,
      justification: input.justification ?? null,
      carried: row.carried,
      version: row.version,
      updatedBy: this.context.userId ?? null,
      updatedAt: new Date(row.updated_at),
    };
  }

  private async staleError(answers: Answer[]): Promise<AssessmentsException> {
    const names = await this.users.namesByIds(answers.flatMap((answer) => (answer.updatedBy ? [answer.updatedBy] : [])));
    const links = await this.links(answers.map((answer) => answer.id));
    const conflicts: AnswerConflict[] = answers.map((answer) => ({
      requirementKey: answer.requirementKey,
      currentVersion: answer.version,
      updatedBy: answer.updatedBy ? names.get(answer.updatedBy) ?? null : null,
      updatedAt: answer.updatedAt.toISOString(),
      current: { claim: answer.claim, statement: answer.statement, justification: answer.justification, evidenceIds: links.get(answer.id)! },
    }));
    const said = conflicts.map((conflict) => `${conflict.requirementKey} was changed by ${conflict.updatedBy ?? 'an API token'} at ${conflict.updatedAt} (now version ${conflict.currentVersion})`);
    const error = new AssessmentsException(
      AssessmentsErrorCode.StaleAnswer,
      `${said.join('; ')}. Nothing was saved: compare your text with theirs and save again.`,
      { conflicts },
    );
    error.extra = { conflicts };
    return error;
  }
}

export function requireEditable(assessment: Assessment): void {
  if (!EDITABLE_STATES.includes(assessment.state)) {
    throw new AssessmentsException(
      AssessmentsErrorCode.NotEditable,
      `This assessment is ${words(assessment.state)}: its answers can no longer change.`,
      { state: assessment.state },
    );
  }
}

function notInAssessment(keys: readonly string[]): AssessmentsException {
  return new AssessmentsException(
    AssessmentsErrorCode.AnswerNotFound,
    `${keys.join(', ')} ${keys.length === 1 ? 'is not a requirement' : 'are not requirements'} of this assessment (it has an answer for each requirement that applies to the service).`,
  );
}

/** Answers by requirement key, the one order in which saves write several. */
export function inKeyOrder<T extends { requirementKey: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.requirementKey < b.requirementKey ? -1 : a.requirementKey > b.requirementKey ? 1 : 0));
}

/** Evidence ids in a cell, separated by spaces, commas or semicolons. */
export function idsIn(cell: string): string[] {
  return cell.split(/[\s,;]+/).filter((id) => id !== '');
}

export function sameContent(answer: Answer, evidenceIds: readonly string[], input: AnswerContent): boolean {
  const sent = [...new Set(input.evidenceIds ?? [])].sort();
  return (
    answer.claim === (input.claim ?? null) &&
    (answer.statement ?? null) === (input.statement ?? null) &&
    (answer.justification ?? null) === (input.justification ?? null) &&
    sent.length === evidenceIds.length &&
    [...evidenceIds].sort().every((id, index) => id === sent[index])
  );
}
