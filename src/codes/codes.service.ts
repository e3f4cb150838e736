import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import semver from 'semver';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { CodesErrorCode, CodesException } from './codes.exception';
import { CodeDocument, Profile } from './document/code-document';
import { CodeDiff, diffCodes } from './document/code-diff';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { Applicability, evaluateApplicability } from './document/applicability';
import { checkProfileAnswers } from './document/profile-answers';
import { rulesInWords } from './document/profile-rules';
import { Code } from './entities/code.entity';
import { CodeRequirement } from './entities/code-requirement.entity';
import { CodeSection } from './entities/code-section.entity';
import { CodeVersion } from './entities/code-version.entity';

export interface CodeSummary {
  code: Code;
  /** Newest first; drafts only for the operator. */
  versions: CodeVersion[];
  /** The newest published version, else the newest version the caller can see. */
  current: CodeVersion;
}

/** A published (or retired) version: its content can no longer change. */
export interface FrozenVersion {
  slug: string;
  version: CodeVersion;
  document: CodeDocument;
}

/**
 * The catalogue of codes of conduct: reading codes and their versions, comparing versions and deciding
 * which requirements apply to a service. Drafts are visible to the operator only.
 */
@Injectable()
export class CodesService {
  private readonly frozen = new Map<string, FrozenVersion>();

  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
  ) {}

  async list(): Promise<CodeSummary[]> {
    const codes = await this.tx.manager.getRepository(Code).find({ order: { slug: 'ASC' } });
    const versions = await this.visibleVersions();
    return codes.map((code) => summarize(code, versions.filter((version) => version.codeId === code.id))).filter((summary) => summary !== undefined);
  }

  async code(slug: string): Promise<CodeSummary> {
    const code = await this.tx.manager.getRepository(Code).findOneBy({ slug });
    const summary = code && summarize(code, await this.visibleVersions(code.id));
    if (!summary) throw new CodesException(CodesErrorCode.CodeNotFound, `There is no code "${slug}".`);
    return summary;
  }

  /** A version and its full content. A version never published answers as missing to anyone but the operator. */
  async version(slug: string, version: string): Promise<{ version: CodeVersion; document: CodeDocument }> {
    const found = await this.findVersion(slug, version);
    return { version: found, document: await this.documentOf(found) };
  }

  async source(slug: string, version: string): Promise<string> {
    const found = await this.findVersion(slug, version);
    const row = await this.tx.manager.getRepository(CodeVersion).findOneOrFail({ where: { id: found.id }, select: { id: true, source: true } });
    return row.source;
  }

  /** Compares two versions; `to` defaults to the newest version, `from` to the version before `to`. */
  async diff(slug: string, to?: string, from?: string): Promise<CodeDiff> {
    const target = to ? await this.findVersion(slug, to) : (await this.code(slug)).versions[0];
    const baseline = from ? await this.findVersion(slug, from) : await this.previousVersion(target);
    if (!baseline) throw new CodesException(CodesErrorCode.VersionNotFound, `Version ${target.version} of ${slug} is its first version: there is nothing to compare it with.`);
    return diffCodes(await this.documentOf(baseline), await this.documentOf(target));
  }

  async previousVersion(target: CodeVersion): Promise<CodeVersion | undefined> {
    const versions = (await this.visibleVersions(target.codeId)).sort(newestFirst);
    return versions.find((version) => semver.lt(version.version, target.version));
  }

  /** Which requirements of a version apply to a service with this profile, and why the others do not. */
  async applicability(slug: string, version: string, profile: Profile): Promise<Applicability & { document: CodeDocument; rulesInWords: Map<string, string> }> {
    const { document } = await this.version(slug, version);
    return { ...this.applicabilityIn(document, profile), document, rulesInWords: rulesInWords(document) };
  }

  /** The same, for a version whose content the caller has already read. */
  applicabilityIn(document: CodeDocument, profile: Profile): Applicability {
    return evaluateApplicability(document, profile);
  }

  /** The questions of every code's current version, each key once, to describe a service. */
  async profileQuestions(): Promise<Array<{ code: string; title: string; version: string; questions: CodeVersion['profileQuestions'] }>> {
    const summaries = await this.list();
    return summaries
      .filter((summary) => summary.current.status === 'published')
      .map((summary) => ({ code: summary.code.slug, title: summary.current.title, version: summary.current.version, questions: summary.current.profileQuestions }));
  }

  /** Checks a service's profile answers against the current codes' questions; a 400 names each wrong answer. */
  async checkProfileAnswers(sent: Record<string, unknown>): Promise<{ answers: Profile; cleared: string[] }> {
    const questions = (await this.profileQuestions()).flatMap((code) => code.questions);
    const { answers, cleared, problems } = checkProfileAnswers(questions, sent);
    if (Object.keys(problems).length > 0) throw new InvalidInputException(problems);
    return { answers, cleared };
  }

  async findVersion(slug: string, version: string): Promise<CodeVersion> {
    const found = await this.tx.manager
      .getRepository(CodeVersion)
      .createQueryBuilder('version')
      .innerJoin(Code, 'code', 'code.id = version.codeId')
      .where('code.slug = :slug AND version.version = :version', { slug, version })
      .getOne();
    if (!found || (!isPublic(found) && !this.seesDrafts)) {
      throw new CodesException(CodesErrorCode.VersionNotFound, `There is no version ${version} of the code "${slug}".`);
    }
    return found;
  }

  /** Versions by id, each with its code's slug, e.g. to name what assessments are against. */
  async versionsByIds(ids: readonly string[]): Promise<Map<string, { slug: string; version: CodeVersion }>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const versions = await this.tx.manager.getRepository(CodeVersion).findBy({ id: In(unique) });
    const codes = await this.tx.manager.getRepository(Code).findBy({ id: In([...new Set(versions.map((version) => version.codeId))]) });
    const slugs = new Map(codes.map((code) => [code.id, code.slug]));
    return new Map(versions.map((version) => [version.id, { slug: slugs.get(version.codeId)!, version }]));
  }

  /**
   * A version referred to by id, with its code's slug and content. Once published a version never
   * changes, so its content is read from the database once per process.
   */
  async frozenVersion(id: string): Promise<FrozenVersion> {
    const cached = this.frozen.get(id);
    if (cached) return cached;
    const found = (await this.versionsByIds([id])).get(id);
    if (!found) throw new CodesException(CodesErrorCode.VersionNotFound, 'There is no such code version.');
    const frozen = { ...found, document: await this.documentOf(found.version) };
    if (found.version.status !== 'draft') this.frozen.set(id, frozen);
    return frozen;
  }

  async documentOf(version: CodeVersion): Promise<CodeDocument> {
    const manager = this.tx.manager;
    const [code, sections, requirements, { changelog }] = await Promise.all([
      manager.getRepository(Code).findOneByOrFail({ id: version.codeId }),
      manager.getRepository(CodeSection).find({ where: { codeVersionId: version.id }, order: { position: 'ASC' } }),
      manager.getRepository(CodeRequirement).find({ where: { codeVersionId: version.id }, order: { position: 'ASC' } }),
      manager.getRepository(CodeVersion).findOneOrFail({ where: { id: version.id }, select: { id: true, changelog: true } }),
    ]);
    return {
      slug: code.slug,
      title: version.title,
      owner: version.owner,
      version: version.version,
      effectiveDate: version.effectiveDate,
      summary: version.summary,
      levels: version.levels,
      profileQuestions: version.profileQuestions,
      ...(version.evidencePolicy && { evidencePolicy: version.evidencePolicy }),
      sections: sections.map((section) => ({
        key: section.key,
        title: section.title,
        summary: section.summary,
        requirements: requirements
          .filter((requirement) => requirement.sectionId === section.id)
          .map(({ key, title, text, guidance, evidence, level, evidenceRequired, appliesWhen }) => ({
            key,
            title,
            text,
            guidance,
            evidence,
            level,
            evidenceRequired,
            appliesWhen,
          })),
      })),
      ...(changelog ? { changelog } : {}),
    };
  }

  private get seesDrafts(): boolean {
    return this.context.caller?.isOperator === true;
  }

  /** The versions the caller may see, of one code or of all. */
  private async visibleVersions(codeId?: string): Promise<CodeVersion[]> {
    const versions = await this.tx.manager.getRepository(CodeVersion).find({ where: codeId ? { codeId } : {} });
    return this.seesDrafts ? versions : versions.filter(isPublic);
  }
}

/** A code with the versions the caller may see, newest first; undefined when there are none. */
function summarize(code: Code, versions: CodeVersion[]): CodeSummary | undefined {
  const sorted = [...versions].sort(newestFirst);
  if (sorted.length === 0) return undefined;
  return { code, versions: sorted, current: sorted.find((version) => version.status === 'published') ?? sorted[0] };
}

/** Published at some point: a draft retired before publication stays the operator's. */
function isPublic(version: CodeVersion): boolean {
  return version.publishedAt !== null;
}

export function newestFirst(a: CodeVersion, b: CodeVersion): number {
  return semver.rcompare(a.version, b.version);
}
