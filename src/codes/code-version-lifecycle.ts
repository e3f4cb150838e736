import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthErrorCode, AuthException } from '../auth/auth.exception';
import { mayMake, type Move } from '../access/moves';
import { TenantContext } from '../common/tenant-context';
import { moveRow } from '../database/move-row';
import { TransactionHost } from '../database/transaction-host';
import { CodesErrorCode, CodesException } from './codes.exception';
import { CodesService } from './codes.service';
import type { CodeDocument } from './document/code-document';
import { CodeVersion, CodeVersionStatus } from './entities/code-version.entity';

/**
 * Every move a code version can make; nothing else changes its status. The operator makes them, and
 * the system publishes the bundled codes at start-up.
 */
export const CODE_VERSION_MOVES = {
  publish: { from: ['draft'], to: 'published', by: ['operator', 'system'], verb: 'publish' },
  retire: { from: ['draft', 'published'], to: 'retired', by: 'operator', verb: 'retire' },
} as const satisfies Record<string, Move<CodeVersionStatus>>;

export type CodeVersionMove = keyof typeof CODE_VERSION_MOVES;

/**
 * The one place a code version changes status: it checks that the move is allowed from the current
 * status and that the caller may make it, applies it only if no one moved the version meanwhile, and
 * writes the audit event, all in the caller's transaction.
 */
@Injectable()
export class CodeVersionLifecycle {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly codes: CodesService,
  ) {}

  /** Publishes a draft, after which it never changes; the version as it now stands, with its content. */
  async publish(slug: string, version: string): Promise<{ version: CodeVersion; document: CodeDocument }> {
    return this.withDocument(await this.apply(await this.codes.findVersion(slug, version), 'publish'));
  }

  async retire(slug: string, version: string): Promise<{ version: CodeVersion; document: CodeDocument }> {
    return this.withDocument(await this.apply(await this.codes.findVersion(slug, version), 'retire'));
  }

  async apply(version: CodeVersion, name: CodeVersionMove): Promise<CodeVersion> {
    const move: Move<CodeVersionStatus> = CODE_VERSION_MOVES[name];
    if (!mayMake(this.context, move)) throw new AuthException(AuthErrorCode.Forbidden, `Only the platform operator can ${move.verb} a code version.`);
    if (!move.from.includes(version.status)) {
      throw new CodesException(
        CodesErrorCode.InvalidTransition,
        `Version ${version.version} is ${version.status}; it can be ${move.to} only from ${move.from.join(' or ')}.`,
        { status: version.status },
      );
    }
    const by = this.context.userId ?? null;
    const stamp = move.to === 'published' ? { publishedAt: new Date(), publishedBy: by } : { retiredAt: new Date(), retiredBy: by };
    if (!(await moveRow(this.tx.manager, CodeVersion, version.id, { status: version.status }, { status: move.to, ...stamp }))) {
      throw new CodesException(CodesErrorCode.InvalidTransition, `Version ${version.version} was changed by someone else just now; reload and try again.`);
    }
    await this.audit.record({
      organizationId: null,
      action: `code.${move.to}`,
      targetType: 'code_version',
      targetId: version.id,
      data: { version: version.version, contentHash: version.contentHash },
    });
    return this.tx.manager.getRepository(CodeVersion).findOneByOrFail({ id: version.id });
  }

  private async withDocument(version: CodeVersion): Promise<{ version: CodeVersion; document: CodeDocument }> {
    return { version, document: await this.codes.documentOf(version) };
  }
}
