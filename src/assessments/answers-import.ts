import { Injectable } from '@nestjs/common';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { validateInput } from '../common/validation/validation.pipe';
import { TransactionHost } from '../database/transaction-host';
import { EvidencePolicies } from '../codes/evidence-policies';
import { EvidenceAcceptance } from '../evidence/evidence-acceptance';
import { EvidenceLibrary } from '../evidence/evidence-library';
import { UsersService } from '../tenancy/users.service';
import { AnswerBook, idsIn, inKeyOrder, requireEditable, sameContent } from './answer-book';
import { readAnswersCsv } from './assessment-transfer';
import { AssessmentsService } from './assessments.service';
import { AssessmentsErrorCode, AssessmentsException } from './assessments.exception';
import { SectionAnswerDto } from './dto/save-answer.dto';
import { Answer } from './entities/answer.entity';

/** Evidence ids an answers file may name in all (at most 50 per row, as in any save). */
export const MAX_IMPORT_EVIDENCE_IDS = 10_000;
/** Rejected rows an import report lists; the report counts them all. */
export const REPORTED_REJECTIONS = 1_000;

type Rejection = { row: number; requirementKey: string; problems: string[] };

export interface ImportReport {
  applied: Array<{ row: number; requirementKey: string; version: number }>;
  unchanged: Array<{ row: number; requirementKey: string }>;
  /** The first REPORTED_REJECTIONS rejected rows, in the order of the file. */
  rejected: Rejection[];
  counts: { applied: number; unchanged: number; rejected: number };
}

/**
 * Applies an answers file row by row: a row that fails its checks, names an unknown requirement or is
 * based on an older version is rejected with its reasons; the others are saved. What it holds is bounded
 * by the assessment, not the file: the file is read a few rows at a time, every check a row can fail by
 * itself comes before anything is looked up, only a row per answer waits for the lookups, and the report
 * lists the first rejections and counts the rest.
 */
@Injectable()
export class AnswersImport {
  constructor(
    private readonly tx: TransactionHost,
    private readonly book: AnswerBook,
    private readonly evidence: EvidenceLibrary,
    private readonly users: UsersService,
    private readonly policies: EvidencePolicies,
    private readonly acceptance: EvidenceAcceptance,
    private readonly assessments: AssessmentsService,
  ) {}

  /** Applies a file to an assessment, read with a share lock so that it cannot be submitted meanwhile. */
  async apply(id: string, file: string): Promise<ImportReport> {
    const assessment = await this.assessments.find(id, { lock: 'share' });
    requireEditable(assessment);
    const answers = await this.tx.manager.getRepository(Answer).find({ where: { assessmentId: assessment.id } });
    const byKey = new Map(answers.map((answer) => [answer.requirementKey, answer]));
    const rejected = new Rejections();
    const candidates = await this.readRows(file, byKey, rejected);

    const library = await this.evidence.items(candidates.flatMap((candidate) => candidate.input.evidenceIds));
    // Evidence the code version's policy (or the one for uploads) does not accept cannot back an answer.
    const refused = await this.acceptance.refusedUnder(await this.policies.forAnswersOf(assessment.codeVersionId), [...library.keys()]);
    const links = await this.book.links(answers.map((answer) => answer.id));
    const names = await this.users.namesByIds(answers.flatMap((answer) => (answer.updatedBy ? [answer.updatedBy] : [])));
    const applied: ImportReport['applied'] = [];
    const unchanged: ImportReport['unchanged'] = [];
    const saved: Array<{ row: number; answer: Answer }> = [];
    // Written in key order, as every save of several answers is, whatever the order of the file.
    for (const { row, input } of inKeyOrder(candidates.map((candidate) => ({ ...candidate, requirementKey: candidate.input.requirementKey })))) {
      const { requirementKey } = input;
      const current = byKey.get(requirementKey)!;
      const unknown = input.evidenceIds.filter((id) => !library.has(id));
      if (unknown.length > 0) {
        rejected.add(row, requirementKey, unknown.map((id) => `${id} is not evidence in your library`));
      } else if (input.evidenceIds.some((id) => refused.has(id))) {
        rejected.add(row, requirementKey, input.evidenceIds.filter((id) => refused.has(id)).map((id) => refused.get(id)!));
      } else if (sameContent(current, links.get(current.id)!, input)) {
        unchanged.push({ row, requirementKey });
      } else if (current.version !== input.version) {
        const who = current.updatedBy ? names.get(current.updatedBy) ?? 'someone' : 'an API token';
        rejected.add(row, requirementKey, [
          `${requirementKey} was changed by ${who} at ${current.updatedAt.toISOString()} (now version ${current.version}; the file has version ${input.version}); export again and redo this row`,
        ]);
      } else {
        const answer = await this.book.write(assessment, requirementKey, current.version, input);
        applied.push({ row, requirementKey, version: answer.version });
        saved.push({ row, answer });
      }
    }
    const byRow = (a: { row: number }, b: { row: number }) => a.row - b.row;
    if (saved.length > 0) await this.book.recordSaved(assessment, 'answers.imported', saved.sort(byRow).map(({ answer }) => answer));
    return {
      applied: applied.sort(byRow),
      unchanged: unchanged.sort(byRow),
      rejected: rejected.first(),
      counts: { applied: applied.length, unchanged: unchanged.length, rejected: rejected.count },
    };
  }

  /**
   * Checks each row by itself, in file order, and keeps the first row of each requirement that passes:
   * at most one per answer. A key's first row decides, applied or rejected: a later one must not slip
   * in behind a rejection.
   */
  private async readRows(file: string, byKey: ReadonlyMap<string, Answer>, rejected: Rejections): Promise<Array<{ row: number; input: SectionAnswerDto }>> {
    const candidates: Array<{ row: number; input: SectionAnswerDto }> = [];
    const seen = new Set<string>();
    let evidenceIds = 0;
    for await (const { row, values } of readAnswersCsv(file)) {
      const requirementKey = values.requirement_key.trim();
      const ids = idsIn(values.evidence_ids);
      evidenceIds += ids.length;
      if (evidenceIds > MAX_IMPORT_EVIDENCE_IDS) throw tooManyEvidenceIds();
      if (!byKey.has(requirementKey)) {
        rejected.add(row, requirementKey, [`${requirementKey || 'an empty key'} is not a requirement of this assessment`]);
        continue;
      }
      if (seen.has(requirementKey)) {
        rejected.add(row, requirementKey, [`${requirementKey} appears more than once in the file; only its first row counts`]);
        continue;
      }
      seen.add(requirementKey);
      try {
        const version = values.version.trim();
        const input = await validateInput(SectionAnswerDto, {
          requirementKey,
          claim: values.claim,
          statement: values.statement,
          justification: values.justification,
          evidenceIds: ids,
          version: version === '' ? undefined : version,
        });
        candidates.push({ row, input });
      } catch (error) {
        if (!(error instanceof InvalidInputException)) throw error;
        rejected.add(row, requirementKey, Object.values(error.fields).flat());
      }
    }
    return candidates;
  }
}

/** Rejected rows: the first REPORTED_REJECTIONS by row number, and how many in all. */
class Rejections {
  private readonly kept: Rejection[] = [];
  /** Once the list is full, the highest row it keeps: a higher one is only counted. */
  private highest = Infinity;
  count = 0;

  add(row: number, requirementKey: string, problems: string[]): void {
    this.count += 1;
    if (row > this.highest) return;
    this.kept.push({ row, requirementKey, problems });
    // Rows come in file order, then (after the lookups) in key order: the lowest are kept, sorted in bulk.
    if (this.kept.length >= 2 * REPORTED_REJECTIONS) this.trim();
  }

  first(): Rejection[] {
    this.trim();
    return this.kept;
  }

  private trim(): void {
    this.kept.sort((a, b) => a.row - b.row).splice(REPORTED_REJECTIONS);
    if (this.kept.length === REPORTED_REJECTIONS) this.highest = this.kept[REPORTED_REJECTIONS - 1].row;
  }
}

function tooManyEvidenceIds(): AssessmentsException {
  const message = `The file names more than ${MAX_IMPORT_EVIDENCE_IDS.toLocaleString('en')} evidence ids; an import may name at most ${MAX_IMPORT_EVIDENCE_IDS.toLocaleString('en')} evidence ids in all (and 50 per answer). Nothing was imported: split the file into smaller ones.`;
  return new AssessmentsException(AssessmentsErrorCode.ImportTooLarge, message, { file: [message] });
}
