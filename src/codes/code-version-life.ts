import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { CodesErrorCode, CodesException } from './codes.exception';
import { CodesService } from './codes.service';
import type { CodeDocument } from './document/code-document';
import { CodeVersion, CodeVersionStatus } from './entities/code-version.entity';

/** A code version's life: draft → published, draft or published → retired. */
@Injectable()
export class CodeVersionLife {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly codes: CodesService,
  ) {}

  /** Publishes a draft; the version as it now stands, with its content. */
  async publish(slug: string, version: string): Promise<{ version: CodeVersion; document: CodeDocument }> {
    return this.withDocument(await this.transition(await this.codes.findVersion(slug, version), 'published'));
  }

  async retire(slug: string, version: string): Promise<{ version: CodeVersion; document: CodeDocument }> {
    return this.withDocument(await this.transition(await this.codes.findVersion(slug, version), 'retired'));
  }

  private async withDocument(version: CodeVersion): Promise<{ version: CodeVersion; document: CodeDocument }> {
    return { version, document: await this.codes.documentOf(version) };
  }

  /** The one place a version changes state: draft → published, draft or published → retired. */
  async transition(version: CodeVersion, to: Exclude<CodeVersionStatus, 'draft'>): Promise<CodeVersion> {
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
