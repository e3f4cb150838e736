import { createHash } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import semver from 'semver';
import { parseDocument } from 'yaml';
import { canonicalJson } from '../../common/canonical-json';
import { isCalendarDate } from '../../common/validation/calendar-date';
import { InvalidInputException } from '../../common/validation/invalid-input.exception';
import { pathWithNul } from '../../common/validation/nul-character';
import { Changelog, CodeDocument, DocumentProblem } from './code-document';
import { crossFieldProblems } from './code-document.rules';
import { ChangelogSchema, CodeDocumentSchema } from './code-document.schema';

export type ParsedCode = { valid: true; document: CodeDocument; contentHash: string } | { valid: false; problems: DocumentProblem[] };

/**
 * Reads a code version from its YAML text: the YAML itself, then every field's shape, then the rules
 * that span fields. Every problem is reported with its path, not only the first.
 */
export function parseCodeDocument(source: string): ParsedCode {
  // Plain YAML 1.2 core schema: no custom tags, and aliases are capped so a small file cannot expand.
  const yaml = parseDocument(source, { schema: 'core', uniqueKeys: true, prettyErrors: true });
  if (yaml.errors.length > 0) {
    return { valid: false, problems: yaml.errors.map((error) => ({ path: position(error.linePos?.[0]), message: firstLine(error.message).replace(/ at line \d+, column \d+:?$/, '') })) };
  }
  let raw: unknown;
  try {
    raw = yaml.toJS({ maxAliasCount: 50 });
  } catch (error) {
    // An alias without its anchor, or aliases that would expand the document too far.
    return { valid: false, problems: [{ path: '(document)', message: firstLine((error as Error).message) }] };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { valid: false, problems: [{ path: '(document)', message: 'a code version is a YAML mapping with code, title, version, levels and sections' }] };
  }
  const nul = pathWithNul(raw);
  if (nul) return { valid: false, problems: [{ path: bracketIndexes(nul), message: 'must not contain the NUL character' }] };
  const schema = plainToInstance(CodeDocumentSchema, raw);
  const errors = validateSync(schema, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  const problems = Object.entries(InvalidInputException.fromValidationErrors(errors).fields).flatMap(([path, messages]) =>
    // A missing field fails every check on it; saying it is missing is clearer.
    valueAt(raw, path) === undefined ? [{ path: bracketIndexes(path), message: 'is missing' }] : messages.map((message) => ({ path: bracketIndexes(path), message: withoutPath(message, path) })),
  );
  if (typeof schema.version === 'string' && semver.valid(schema.version) === null) {
    problems.push({ path: 'version', message: `${schema.version} is not a semantic version such as 1.0.0` });
  }
  if (typeof schema.effective_date === 'string' && !isCalendarDate(schema.effective_date)) {
    problems.push({ path: 'effective_date', message: `${schema.effective_date} is not a date such as 2027-01-01` });
  }
  const from = schema.changelog?.from;
  if (typeof from === 'string' && semver.valid(from) === null) {
    problems.push({ path: 'changelog.from', message: `${from} is not a semantic version such as 1.0.0` });
  }
  if (problems.length > 0) return { valid: false, problems };

  const document = normalise(schema);
  const crossField = crossFieldProblems(document);
  if (crossField.length > 0) return { valid: false, problems: crossField };
  return { valid: true, document, contentHash: contentHash(document) };
}

/** The content's identity: formatting and comments in the YAML do not change it. */
export function contentHash(document: CodeDocument): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

export function describeProblems(problems: readonly DocumentProblem[]): string {
  return problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n');
}

function normalise(schema: CodeDocumentSchema): CodeDocument {
  const policy = schema.evidence_policy;
  return {
    ...(policy && {
      evidencePolicy: {
        kinds: policy.kinds,
        fileTypes: policy.file_types ?? [],
        embeddedImages: policy.embedded_images ?? 'allow',
        confirmation: policy.confirmation?.trim() || null,
        refusalGuidance: policy.refusal_guidance?.trim() || null,
      },
    }),
    slug: schema.code,
    title: schema.title.trim(),
    owner: schema.owner.trim(),
    version: semver.valid(schema.version)!,
    effectiveDate: schema.effective_date,
    summary: schema.summary.trim(),
    levels: schema.levels.map((level) => ({ level: level.level, name: level.name.trim(), description: level.description.trim() })),
    profileQuestions: (schema.profile_questions ?? []).map((question) => ({
      key: question.key,
      label: question.label.trim(),
      type: question.type,
      help: question.help?.trim() || null,
      options: (question.options ?? []).map((option) => ({ value: option.value, label: option.label.trim() })),
    })),
    sections: schema.sections.map((section) => ({
      key: section.key,
      title: section.title.trim(),
      summary: section.summary?.trim() || null,
      requirements: section.requirements.map((requirement) => ({
        key: requirement.key,
        title: requirement.title.trim(),
        text: requirement.text.trim(),
        guidance: requirement.guidance?.trim() || null,
        evidence: requirement.evidence?.trim() || null,
        level: requirement.level,
        evidenceRequired: requirement.evidence_required,
        appliesWhen: requirement.applies_when?.trim() || null,
      })),
    })),
    // Only when there is one: a version without a changelog keeps the content hash it always had.
    ...(schema.changelog ? { changelog: normaliseChangelog(schema.changelog) } : {}),
  };
}

function normaliseChangelog(changelog: ChangelogSchema): Changelog {
  return {
    from: semver.valid(changelog.from)!,
    changes: changelog.changes.map((entry) => ({
      change: entry.change,
      keys: entry.keys ?? [],
      questions: entry.questions ?? [],
      ...(entry.parts?.length ? { parts: entry.parts } : {}),
      reason: entry.reason.trim(),
      references: (entry.references ?? []).map((reference) => reference.trim()),
    })),
  };
}

function valueAt(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), root);
}

/** `sections.2.requirements.4.key` → `sections[2].requirements[4].key` */
function bracketIndexes(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/** class-validator starts messages with the property name; the path already says where. */
function withoutPath(message: string, path: string): string {
  const property = path.split('.').pop()!;
  if (message.startsWith(`${path} `)) return message.slice(path.length + 1);
  if (message.startsWith(`${property} `)) return message.slice(property.length + 1);
  return message;
}

function position(linePos: { line: number; col: number } | undefined): string {
  return linePos ? `line ${linePos.line}, column ${linePos.col}` : '(document)';
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
