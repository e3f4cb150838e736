import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import semver from 'semver';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { CodesErrorCode, CodesException } from './codes.exception';
import { CodeDocument, DocumentProblem, Profile } from './document/code-document';
import { changelogMismatches } from './document/changelog-check';
import { CodeDiff, diffCodes } from './document/code-diff';
import { parseCodeDocument } from './document/parse-code-document';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { Applicability, evaluateApplicability } from './document/applicability';
import { checkProfileAnswers } from './document/profile-answers';
import { rulesInWords } from './document/profile-rules';
import { Code } from './entities/code.entity';
import { CodeRequirement } from './entities/code-requirement.entity';
import { CodeSection } from './entities/code-section.entity';
import { CodeVersion, CodeVersionStatus } from './entities/code-version.entity';

const INSERT_SLICE = 1_000;

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

export interface ImportResult {
  version: CodeVersion;
  document: CodeDocument;
  /** False when exactly this content was already there. */
  created: boolean;
}


/**
 * Codes of conduct as versioned data: importing a version from YAML, reading it, publishing it
 * (after which it never changes), retiring it, comparing versions and deciding which requirements
 * apply to a service. Drafts are visible to the operator only.
 */
@Injectable()
export class CodesService {
  private readonly frozen = new Map<string, FrozenVersion>();

  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
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

  /**
   * Imports a version as a draft. Importing the same content again changes nothing; importing changed
   * content over a draft replaces the draft; a published or retired version can no longer change.
   */
  async import(source: string, options: { publish?: boolean } = {}): Promise<ImportResult> {
    const { document, contentHash } = await this.validate(source);
    const manager = this.tx.manager;
    // Two imports of the same code (two instances starting, two operators) take turns.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('code:' || $1, 0))`, [document.slug]);
    const code = await this.findOrCreateCode(document.slug);
    const existing = await manager.getRepository(CodeVersion).findOneBy({ codeId: code.id, version: document.version });
    if (existing?.contentHash === contentHash) {
      const publishNow = options.publish && existing.status === 'draft';
      return { version: publishNow ? await this.transition(existing, 'published') : existing, document, created: false };
    }
    if (existing && existing.status !== 'draft') {
      throw new CodesException(
        CodesErrorCode.VersionFrozen,
        `Version ${document.version} of ${document.slug} is ${existing.status} and can no longer change; import the changes as a new version, such as ${semver.inc(document.version, 'patch')}.`,
        { status: existing.status, contentHash: existing.contentHash },
      );
    }
    if (existing) await manager.getRepository(CodeVersion).delete({ id: existing.id });
    const version = await this.insertVersion(code, document, contentHash, source);
    await this.audit.record({
      organizationId: null,
      action: existing ? 'code.draft_replaced' : 'code.imported',
      targetType: 'code_version',
      targetId: version.id,
      data: { code: document.slug, version: document.version, contentHash },
    });
    if (options.publish) return { version: await this.transition(version, 'published'), document, created: true };
    return { version, document, created: true };
  }

  /**
   * Reads and checks a code version's YAML, and its changelog against the version it counts from, which
   * must be here already; every problem is reported with its path.
   */
  async validate(source: string): Promise<{ document: CodeDocument; contentHash: string }> {
    const parsed = parseCodeDocument(source);
    const problems = parsed.valid ? await this.changelogProblems(parsed.document) : parsed.problems;
    if (problems.length > 0) {
      throw new CodesException(
        CodesErrorCode.InvalidDocument,
        `The code document is not valid: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
        // Several problems may share a place (two changes the changelog leaves out): each is kept.
        problems.reduce<Record<string, string[]>>((byPath, problem) => ({ ...byPath, [problem.path]: [...(byPath[problem.path] ?? []), problem.message] }), {}),
      );
    }
    return parsed as Extract<typeof parsed, { valid: true }>;
  }

  private async changelogProblems(document: CodeDocument): Promise<DocumentProblem[]> {
    const from = document.changelog?.from;
    if (!from) return [];
    const previous = await this.tx.manager
      .getRepository(CodeVersion)
      .createQueryBuilder('version')
      .innerJoin(Code, 'code', 'code.id = version.codeId')
      .where('code.slug = :slug AND version.version = :from', { slug: document.slug, from })
      .getOne();
    if (!previous) return [{ path: 'changelog.from', message: `${document.slug} ${from} is not in Adhere: import it first, so that the changelog can be checked against it` }];
    return changelogMismatches(await this.documentOf(previous), document);
  }

  async publish(slug: string, version: string): Promise<CodeVersion> {
    return this.transition(await this.findVersion(slug, version), 'published');
  }

  async retire(slug: string, version: string): Promise<CodeVersion> {
    return this.transition(await this.findVersion(slug, version), 'retired');
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

  private async findOrCreateCode(slug: string): Promise<Code> {
    const repository = this.tx.manager.getRepository(Code);
    return (await repository.findOneBy({ slug })) ?? repository.save(repository.create({ slug }));
  }

  private async insertVersion(code: Code, document: CodeDocument, contentHash: string, source: string): Promise<CodeVersion> {
    const manager = this.tx.manager;
    const version = await manager.getRepository(CodeVersion).save(
      manager.getRepository(CodeVersion).create({
        codeId: code.id,
        version: document.version,
        status: 'draft',
        title: document.title,
        owner: document.owner,
        summary: document.summary,
        effectiveDate: document.effectiveDate,
        levels: document.levels,
        profileQuestions: document.profileQuestions,
        changelog: document.changelog ?? null,
        evidencePolicy: document.evidencePolicy ?? null,
        contentHash,
        source,
        importedBy: this.context.userId ?? null,
      }),
    );
    const sections = document.sections.map((section, position) => ({ id: randomUUID(), codeVersionId: version.id, key: section.key, position, title: section.title, summary: section.summary }));
    let position = 0;
    const requirements = document.sections.flatMap((section, index) =>
      section.requirements.map((requirement) => ({ ...requirement, codeVersionId: version.id, sectionId: sections[index].id, position: position++ })),
    );
    await manager.createQueryBuilder().insert().into(CodeSection).values(sections).execute();
    // In slices: one statement may carry at most 65,535 parameters.
    for (let start = 0; start < requirements.length; start += INSERT_SLICE) {
      await manager.createQueryBuilder().insert().into(CodeRequirement).values(requirements.slice(start, start + INSERT_SLICE)).execute();
    }
    return version;
  }

  /** The one place a version changes state: draft → published, draft or published → retired. */
  private async transition(version: CodeVersion, to: Exclude<CodeVersionStatus, 'draft'>): Promise<CodeVersion> {
    const allowedFrom: Record<typeof to, CodeVersionStatus[]> = { published: ['draft'], retired: ['draft', 'published'] };
    if (!allowedFrom[to].includes(version.status)) {
      throw new CodesException(
        CodesErrorCode.InvalidTransition,
        `Version ${version.version} is ${version.status}; it can be ${to} only from ${allowedFrom[to].join(' or ')}.`,
        { status: version.status },
      );
    }
    const stamp = to === 'published' ? { publishedAt: new Date(), publishedBy: this.context.userId ?? null } : { retiredAt: new Date(), retiredBy: this.context.userId ?? null };
    const result = await this.tx.manager
      .createQueryBuilder()
      .update(CodeVersion)
      .set({ status: to, ...stamp })
      .where('id = :id AND status = :status', { id: version.id, status: version.status })
      .execute();
    if (!result.affected) {
      throw new CodesException(CodesErrorCode.InvalidTransition, `Version ${version.version} was changed by someone else just now; reload and try again.`);
    }
    await this.audit.record({
      organizationId: null,
      action: `code.${to}`,
      targetType: 'code_version',
      targetId: version.id,
      data: { version: version.version, contentHash: version.contentHash },
    });
    return this.tx.manager.getRepository(CodeVersion).findOneByOrFail({ id: version.id });
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

function newestFirst(a: CodeVersion, b: CodeVersion): number {
  return semver.rcompare(a.version, b.version);
}
