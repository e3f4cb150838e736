import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { EvidencePolicies } from '../codes/evidence-policies';
import { EvidenceAcceptance } from '../evidence/evidence-acceptance';
import { EvidenceLibrary } from '../evidence/evidence-library';
import { UsersService } from '../tenancy/users.service';
import { EDITABLE_STATES, words } from './assessment-lifecycle';
import { AssessmentsErrorCode, AssessmentsException } from './assessments.exception';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { validateInput } from '../common/validation/validation.pipe';
import type { ImportedRow } from './assessment-transfer';
import { SaveAnswerDto, SectionAnswerDto } from './dto/save-answer.dto';
import { AnswerEvidence } from './entities/answer-evidence.entity';
import { Answer } from './entities/answer.entity';
import type { Assessment } from './entities/assessment.entity';

/** The fields of an answer a person writes. */
export type AnswerContent = Pick<SaveAnswerDto, 'claim' | 'statement' | 'justification' | 'evidenceIds'>;

export interface ImportReport {
  applied: Array<{ row: number; requirementKey: string; version: number }>;
  unchanged: Array<{ row: number; requirementKey: string }>;
  rejected: Array<{ row: number; requirementKey: string; problems: string[] }>;
}

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
    if (answerIds.length === 0) return links;
    const rows = await this.tx.manager.getRepository(AnswerEvidence).find({ where: { answerId: In([...answerIds]) }, order: { evidenceId: 'ASC' } });
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
    const answers = await this.tx.manager.getRepository(Answer).find({ where: { assessmentId: assessment.id, requirementKey: In(inputs.map((input) => input.requirementKey)) } });
    const byKey = new Map(answers.map((answer) => [answer.requirementKey, answer]));
    const unknown = inputs.filter((input) => !byKey.has(input.requirementKey)).map((input) => input.requirementKey);
    if (unknown.length > 0) throw notInAssessment(unknown);
    const links = await this.links(answers.map((answer) => answer.id));
    const changed = inputs.filter((input) => !sameContent(byKey.get(input.requirementKey)!, links.get(byKey.get(input.requirementKey)!.id)!, input));
    const stale = changed.filter((input) => byKey.get(input.requirementKey)!.version !== input.version).map((input) => byKey.get(input.requirementKey)!);
    if (stale.length > 0) throw await this.staleError(stale);
    const saved: Answer[] = [];
    for (const input of changed) saved.push(await this.write(assessment, input.requirementKey, input.version, input));
    if (saved.length > 0) await this.recordSaved(assessment, 'answers.saved', saved);
    return saved;
  }

  /**
   * Applies the rows of an imported file one by one: a row that fails its checks, names an unknown
   * requirement or is based on an older version is rejected with its reasons; the others are saved.
   */
  async importRows(assessment: Assessment, rows: readonly ImportedRow[]): Promise<ImportReport> {
    requireEditable(assessment);
    const report: ImportReport = { applied: [], unchanged: [], rejected: [] };
    const answers = await this.tx.manager.getRepository(Answer).find({ where: { assessmentId: assessment.id } });
    const byKey = new Map(answers.map((answer) => [answer.requirementKey, answer]));
    const links = await this.links(answers.map((answer) => answer.id));
    const library = await this.evidence.items(rows.flatMap((row) => idsIn(row.values.evidence_ids)));
    const refused = await this.acceptance.refusedUnder(await this.policies.forAnswersOf(assessment.codeVersionId), [...library.keys()]);
    const names = await this.users.namesByIds(answers.flatMap((answer) => (answer.updatedBy ? [answer.updatedBy] : [])));
    const seen = new Set<string>();
    const applied: Answer[] = [];
    for (const { row, values } of rows) {
      const requirementKey = values.requirement_key.trim();
      const reject = (...problems: string[]) => report.rejected.push({ row, requirementKey, problems });
      // A key's first row decides, applied or rejected: a later one must not slip in behind a rejection.
      if (seen.has(requirementKey)) {
        reject(`${requirementKey} appears more than once in the file; only its first row counts`);
        continue;
      }
      seen.add(requirementKey);
      let input: SectionAnswerDto;
      try {
        input = await validateInput(SectionAnswerDto, {
          requirementKey,
          claim: values.claim,
          statement: values.statement,
          justification: values.justification,
          evidenceIds: idsIn(values.evidence_ids),
          version: values.version.trim() === '' ? undefined : values.version.trim(),
        });
      } catch (error) {
        if (error instanceof InvalidInputException) {
          reject(...Object.values(error.fields).flat());
          continue;
        }
        throw error;
      }
      const current = byKey.get(requirementKey);
      if (!current) {
        reject(`${requirementKey || 'an empty key'} is not a requirement of this assessment`);
        continue;
      }
      const unknown = input.evidenceIds.filter((id) => !library.has(id));
      if (unknown.length > 0) {
        reject(...unknown.map((id) => `${id} is not evidence in your library`));
        continue;
      }
      const notAccepted = input.evidenceIds.filter((id) => refused.has(id));
      if (notAccepted.length > 0) {
        reject(...notAccepted.map((id) => refused.get(id)!));
        continue;
      }
      if (sameContent(current, links.get(current.id)!, input)) {
        report.unchanged.push({ row, requirementKey });
        continue;
      }
      if (current.version !== input.version) {
        const who = current.updatedBy ? names.get(current.updatedBy) ?? 'someone' : 'an API token';
        reject(`${requirementKey} was changed by ${who} at ${current.updatedAt.toISOString()} (now version ${current.version}; the file has version ${input.version}); export again and redo this row`);
        continue;
      }
      const saved = await this.write(assessment, requirementKey, current.version, input);
      report.applied.push({ row, requirementKey, version: saved.version });
      applied.push(saved);
    }
    if (applied.length > 0) await this.recordSaved(assessment, 'answers.imported', applied);
    return report;
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
  private async recordSaved(assessment: Assessment, action: string, saved: readonly Answer[]): Promise<void> {
    await this.audit.record({
      action,
      targetType: 'assessment',
      targetId: assessment.id,
      data: { answers: saved.map(({ requirementKey, version, claim }) => ({ requirementKey, version, claim })) },
    });
  }

  /** Writes an answer of `assessment` if it is still at `version`; a stale one is refused with who changed it. */
  private async write(assessment: Assessment, requirementKey: string, version: number, input: AnswerContent): Promise<Answer> {
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
    const evidenceIds = [...new Set(input.evidenceIds ?? [])];
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

/** Evidence ids in a cell, separated by spaces, commas or semicolons. */
function idsIn(cell: string): string[] {
  return cell.split(/[\s,;]+/).filter((id) => id !== '');
}

function sameContent(answer: Answer, evidenceIds: readonly string[], input: AnswerContent): boolean {
  const sent = [...new Set(input.evidenceIds ?? [])].sort();
  return (
    answer.claim === (input.claim ?? null) &&
    (answer.statement ?? null) === (input.statement ?? null) &&
    (answer.justification ?? null) === (input.justification ?? null) &&
    sent.length === evidenceIds.length &&
    [...evidenceIds].sort().every((id, index) => id === sent[index])
  );
}
