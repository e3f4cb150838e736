import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { csvText } from '../common/csv/csv-writer';
import { restoreCell } from '../common/csv/formula-cells';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import type { AnswerDetail, AssessmentDetail } from './assessment-detail';

/** The columns of an exported assessment; an import reads the same file back. */
export const CSV_COLUMNS = ['section', 'requirement_key', 'requirement_title', 'claim', 'statement', 'justification', 'evidence_ids', 'version'] as const;

/** The columns an import needs; the others are there for people reading the file. */
const REQUIRED_COLUMNS = ['requirement_key', 'claim', 'statement', 'justification', 'evidence_ids', 'version'] as const;

export interface ImportedRow {
  /** The row as a spreadsheet numbers it: the header is row 1, and a cell spanning lines is still one row. */
  row: number;
  values: Record<(typeof REQUIRED_COLUMNS)[number], string>;
}

export function assessmentJson(detail: AssessmentDetail) {
  const { assessment, service, code, monitoringBody, progress } = detail;
  return {
    id: assessment.id,
    state: assessment.state,
    round: assessment.round,
    targetLevel: assessment.targetLevel,
    service: { id: service.id, name: service.name },
    code: { slug: code.slug, title: code.version.title, version: code.version.version },
    monitoringBody: { slug: monitoringBody.slug, name: monitoringBody.name },
    profile: assessment.profile,
    copiedFrom: assessment.copiedFromId,
    submittedAt: assessment.submittedAt?.toISOString() ?? null,
    version: assessment.version,
    createdAt: assessment.createdAt.toISOString(),
    updatedAt: assessment.updatedAt.toISOString(),
    progress,
    gaps: detail.gaps.map(({ requirementKey, problem }) => ({ requirementKey, problem })),
    answers: detail.answers.map(answerJson),
  };
}

export function answerJson({ answer, requirement, sectionKey, evidence, updatedByName }: AnswerDetail) {
  return {
    requirementKey: answer.requirementKey,
    section: sectionKey,
    title: requirement.title,
    level: requirement.level,
    evidenceRequired: requirement.evidenceRequired,
    claim: answer.claim,
    statement: answer.statement,
    justification: answer.justification,
    carried: answer.carried,
    version: answer.version,
    updatedBy: updatedByName,
    updatedAt: answer.updatedAt.toISOString(),
    evidence: evidence.map(({ evidence: item, current, status }) => ({
      id: item.id,
      title: item.title,
      kind: item.kind,
      confidentiality: item.confidentiality,
      revision: current.number,
      sha256: current.sha256,
      status,
    })),
  };
}

export function assessmentCsv(detail: AssessmentDetail): string {
  const rows = detail.answers.map(({ answer, requirement, sectionKey, evidence }) => [
    sectionKey,
    answer.requirementKey,
    requirement.title,
    answer.claim ?? '',
    answer.statement ?? '',
    answer.justification ?? '',
    evidence.map((item) => item.evidence.id).join(' '),
    String(answer.version),
  ]);
  return csvText(CSV_COLUMNS, rows);
}

/** Characters of a file handed to the CSV parser at a time: rows are parsed as the import reads them. */
const PARSE_CHUNK = 16 * 1024;

/**
 * Reads an answers file row by row, as the caller takes them, so that a file of many rows is never held
 * parsed all at once. A file that is not CSV or lacks a column is refused as a whole (400) when that shows.
 */
export async function* readAnswersCsv(text: string): AsyncGenerator<ImportedRow> {
  const parser = parse({ columns: true, info: true, skip_empty_lines: true, relax_column_count: false, trim: false });
  Readable.from(chunksOf(text.replace(/^\uFEFF/, ''), PARSE_CHUNK)).pipe(parser);
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { records: number; empty_lines: number } }>) {
      if (rows++ === 0) {
        const missing = REQUIRED_COLUMNS.filter((column) => !(column in record));
        if (missing.length > 0) throw fileProblem(`The file lacks the ${missing.length === 1 ? 'column' : 'columns'} ${missing.join(', ')}; export the assessment as CSV to see the expected columns.`);
      }
      yield {
        row: 1 + info.records + info.empty_lines,
        values: Object.fromEntries(REQUIRED_COLUMNS.map((column) => [column, restoreCell(record[column] ?? '')])) as ImportedRow['values'],
      };
    }
  } catch (error) {
    throw error instanceof InvalidInputException ? error : fileProblem(`The file is not valid CSV: ${(error as Error).message}`);
  }
  if (rows === 0) throw fileProblem(`The file has no rows; its first line must name the columns ${CSV_COLUMNS.join(', ')}.`);
}

function fileProblem(problem: string): InvalidInputException {
  return new InvalidInputException({ file: [problem] });
}

function* chunksOf(text: string, size: number): Generator<string> {
  for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size);
}
