import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import semver from 'semver';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { CodeVersionLifecycle } from './code-version-lifecycle';
import { CodesErrorCode, CodesException } from './codes.exception';
import { CodesService } from './codes.service';
import { CodeDocument, DocumentProblem } from './document/code-document';
import { changelogMismatches } from './document/changelog-check';
import { parseCodeDocument } from './document/parse-code-document';
import { Code } from './entities/code.entity';
import { CodeRequirement } from './entities/code-requirement.entity';
import { CodeSection } from './entities/code-section.entity';
import { CodeVersion } from './entities/code-version.entity';

const INSERT_SLICE = 1_000;

export interface ImportResult {
  version: CodeVersion;
  document: CodeDocument;
  /** False when exactly this content was already there. */
  created: boolean;
}

/** Bringing a code version in from its YAML: checking it, and storing it as a draft (or publishing it at once). */
@Injectable()
export class CodeImport {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly codes: CodesService,
    private readonly life: CodeVersionLifecycle,
  ) {}

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
      return { version: publishNow ? await this.life.apply(existing, 'publish') : existing, document, created: false };
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
    if (options.publish) return { version: await this.life.apply(version, 'publish'), document, created: true };
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
    return changelogMismatches(await this.codes.documentOf(previous), document);
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
}
