import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { DataSource, EntityManager } from 'typeorm';
import { CONTEXT_KEYS } from '../common/request-context';

/** The role every request runs as; row-level security policies apply to it. */
export const APPLICATION_ROLE = 'adhere_app';

export interface RowScope {
  organizationId?: string;
  userId?: string;
}

/**
 * Owns the one transaction a unit of work runs in. Inside it the connection acts as `adhere_app`, so
 * PostgreSQL's row-level security sees only the organization (and user) set for this transaction.
 */
@Injectable()
export class TransactionHost {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cls: ClsService,
  ) {}

  /** The open transaction's manager. Reading it outside a transaction is a programming error. */
  get manager(): EntityManager {
    const manager = this.cls.isActive() ? this.cls.get<EntityManager | undefined>(CONTEXT_KEYS.manager) : undefined;
    if (!manager) throw new Error('No transaction is open: database access must happen inside a scoped transaction');
    return manager;
  }

  get inTransaction(): boolean {
    return this.cls.isActive() && this.cls.get<EntityManager | undefined>(CONTEXT_KEYS.manager) !== undefined;
  }

  /** Runs `work` in one transaction as the application role, limited to `scope` by row-level security. */
  async runScoped<T>(scope: RowScope, work: () => Promise<T>): Promise<T> {
    const run = () =>
      this.dataSource.transaction(async (manager) => {
        if (this.cls.get<EntityManager | undefined>(CONTEXT_KEYS.manager)) throw new Error('A scoped transaction is already open');
        await manager.query(`SET LOCAL ROLE ${APPLICATION_ROLE}`);
        await this.applyScope(manager, scope);
        this.cls.set(CONTEXT_KEYS.manager, manager);
        try {
          return await work();
        } finally {
          this.cls.set(CONTEXT_KEYS.manager, undefined);
        }
      });
    return this.cls.isActive() ? run() : this.cls.run(run);
  }

  /** Widens or narrows the open transaction's scope, e.g. once sign-up has created the organization. */
  async changeScope(scope: RowScope): Promise<void> {
    await this.applyScope(this.manager, scope);
  }

  /**
   * Runs `work` as the database owner, outside row-level security. Only for identity lookups that
   * precede any organization (sign-in, sessions, API token resolution) and for start-up tasks.
   */
  async runUnscoped<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  private async applyScope(manager: EntityManager, scope: RowScope): Promise<void> {
    await manager.query(
      `SELECT set_config('adhere.organization_id', $1, true), set_config('adhere.user_id', $2, true)`,
      [scope.organizationId ?? '', scope.userId ?? ''],
    );
  }
}
