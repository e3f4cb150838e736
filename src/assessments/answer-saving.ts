import { Injectable } from '@nestjs/common';
import { CodesService } from '../codes/codes.service';
import { TransactionHost } from '../database/transaction-host';
import { EvidenceLibrary } from '../evidence/evidence-library';
import { UsersService } from '../tenancy/users.service';
import { AnswerBook } from './answer-book';
import type { AnswerDetail, AssessmentDetail } from './assessment-detail';
import { AssessmentsService } from './assessments.service';
import type { SaveAnswerDto, SectionAnswerDto } from './dto/save-answer.dto';
import type { Answer } from './entities/answer.entity';
import type { Assessment } from './entities/assessment.entity';
import { progressOf, type Progress } from './readiness';
import { requirementIndex } from './requirement-index';

/**
 * Saving a provider's answers, each save answering with what the page and the API show next. The
 * assessment is read with a share lock, so it cannot be submitted while its answers change.
 */
@Injectable()
export class AnswerSaving {
  constructor(
    private readonly tx: TransactionHost,
    private readonly codes: CodesService,
    private readonly evidence: EvidenceLibrary,
    private readonly users: UsersService,
    private readonly book: AnswerBook,
    private readonly assessments: AssessmentsService,
  ) {}

  /** One answer, if it is still at the version it was based on; the answer as saved, and the assessment's progress. */
  async saveOne(id: string, requirementKey: string, input: SaveAnswerDto): Promise<{ answer: AnswerDetail; progress: Progress }> {
    const assessment = await this.assessments.find(id, { lock: 'share' });
    return this.savedAnswer(assessment, await this.book.save(assessment, requirementKey, input));
  }

  /** Several answers, all or none; the ones written. */
  async saveSection(id: string, inputs: readonly SectionAnswerDto[]): Promise<Answer[]> {
    const assessment = await this.assessments.find(id, { lock: 'share' });
    return this.book.saveMany(assessment, inputs);
  }

  /** Several answers, all or none; the ones written, and the assessment as it now stands. */
  async saveMany(id: string, inputs: readonly SectionAnswerDto[]): Promise<{ saved: Answer[]; detail: AssessmentDetail }> {
    const assessment = await this.assessments.find(id, { lock: 'share' });
    const saved = await this.book.saveMany(assessment, inputs);
    return { saved, detail: await this.assessments.detail(id, assessment) };
  }

  /**
   * An answer just saved, with the assessment's progress. Saves are frequent, so this reads only what
   * progress needs (claims and evidence links), not the whole assessment.
   */
  private async savedAnswer(assessment: Assessment, saved: Answer): Promise<{ answer: AnswerDetail; progress: Progress }> {
    const { document } = await this.codes.frozenVersion(assessment.codeVersionId);
    const rows = (await this.tx.manager.query(
      `SELECT a.requirement_key AS key, a.claim, a.justification,
              coalesce(array_agg(l.evidence_id ORDER BY l.evidence_id) FILTER (WHERE l.evidence_id IS NOT NULL), '{}') AS evidence
         FROM answers a LEFT JOIN answer_evidence l ON l.answer_id = a.id
        WHERE a.assessment_id = $1
        GROUP BY a.id`,
      [assessment.id],
    )) as Array<{ key: string; claim: Answer['claim']; justification: string | null; evidence: string[] }>;
    const items = await this.evidence.items(rows.flatMap((row) => row.evidence));
    const requirements = requirementIndex(document);
    const linked = (ids: string[]) => ids.flatMap((id) => (items.has(id) ? [items.get(id)!] : []));
    const facts = rows.map((row) => ({
      requirementKey: row.key,
      sectionKey: requirements.get(row.key)!.sectionKey,
      claim: row.claim,
      justification: row.justification,
      evidenceRequired: requirements.get(row.key)!.requirement.evidenceRequired,
      evidence: linked(row.evidence).map((item) => item.status),
    }));
    const names = saved.updatedBy ? await this.users.namesByIds([saved.updatedBy]) : new Map<string, string>();
    const own = rows.find((row) => row.key === saved.requirementKey)!;
    return {
      answer: { answer: saved, ...requirements.get(saved.requirementKey)!, evidence: linked(own.evidence), updatedByName: saved.updatedBy ? names.get(saved.updatedBy) ?? null : null },
      progress: progressOf(facts),
    };
  }
}
