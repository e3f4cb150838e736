import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClsService } from 'nestjs-cls';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { isTransactionConflict } from '../common/errors/transaction-conflict';
import { CONTEXT_KEYS } from '../common/request-context';

/** The role every request runs as; row-level security policies apply to it. */
export const APPLICATION_ROLE = 'adhere_app';

export interface RowScope {
  organizationId?: string;
  userId?: string;
}

/**
 * How many times a unit of work runs when PostgreSQL aborts it for colliding with another transaction
 * (a deadlock, or a serialisation failure): each run starts again from nothing.
 */
export const TRANSACTION_ATTEMPTS = 3;

export interface RunOptions {
  /** Whether the work may still run again, e.g. not once it has started to answer. */
  canRunAgain?: () => boolean;
}

/** Run at the start of every transaction, before the work: e.g. holding the credential it acts under. */
export type OpeningStep = (scope: RowScope) => Promise<void>;

/**
 * Owns the one transaction a unit of work runs in. Inside it the connection acts as `adhere_app`, so
 * PostgreSQL's row-level security sees only the organization (and user) set for this transaction.
 */
@Injectable()
export class TransactionHost {
  private readonly logger = new Logger('Transactions');
  private readonly openingSteps: OpeningStep[] = [];

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

  /** Whether a transaction is open for the current unit of work. */
  get isOpen(): boolean {
    return this.cls.isActive() && this.cls.get<EntityManager | undefined>(CONTEXT_KEYS.manager) !== undefined;
  }

  /**
   * Runs one statement without parameters as the application role, with no organization or user in
   * scope, in a single round trip: both are sent as one simple query, which PostgreSQL runs as one
   * implicit transaction, so the role ends with it (and with an error). For the cheap checks that come
   * before any real work, such as whether a cached public page is still current.
   */
  async readPublic<T>(sql: string): Promise<T[]> {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const results = (await pool.query(`SELECT set_config('role', '${APPLICATION_ROLE}', true); ${sql}`)) as unknown as Array<{ rows: T[] }>;
    return results[1].rows;
  }

  /** Adds a step that every transaction takes first. */
  onOpen(step: OpeningStep): void {
    this.openingSteps.push(step);
  }

  /**
   * Runs `work` in one transaction as the application role, limited to `scope` by row-level security.
   * A transaction PostgreSQL aborts for colliding with another is run again from the start, up to
   * TRANSACTION_ATTEMPTS times in all; then its error goes to the caller.
   */
  async runScoped<T>(scope: RowScope, work: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    if (this.cls.isActive() && this.cls.get<EntityManager | undefined>(CONTEXT_KEYS.manager)) {
      throw new Error('A scoped transaction is already open');
    }
    const run = async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.runOnce(scope, work);
        } catch (error) {
          if (attempt >= TRANSACTION_ATTEMPTS || !isTransactionConflict(error) || options.canRunAgain?.() === false) throw error;
          this.logger.warn(`A transaction collided with another and runs again (attempt ${attempt + 1} of ${TRANSACTION_ATTEMPTS}): ${(error as Error).message}`);
          // A random pause, so that the two that collided do not meet again at the same point.
          await sleep(attempt * (5 + Math.random() * 20));
        }
      }
    };
    return this.cls.isActive() ? run() : this.cls.run(run);
  }

  /** Widens or narrows the open transaction's scope, e.g. once sign-up has created the organization. */
  async changeScope(scope: RowScope): Promise<void> {
    await this.applyScope(this.manager, scope);
  }

  private runOnce<T>(scope: RowScope, work: () => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      // The same as SET LOCAL ROLE, in the one round trip that also sets the scope (as PostgREST does).
      await manager.query(
        `SELECT set_config('role', $1, true), set_config('adhere.organization_id', $2, true), set_config('adhere.user_id', $3, true)`,
        [APPLICATION_ROLE, scope.organizationId ?? '', scope.userId ?? ''],
      );
      this.cls.set(CONTEXT_KEYS.manager, manager);
      try {
        for (const step of this.openingSteps) await step(scope);
        return await work();
      } finally {
        this.cls.set(CONTEXT_KEYS.manager, undefined);
      }
    });
  }

  private async applyScope(manager: EntityManager, scope: RowScope): Promise<void> {
    await manager.query(
      `SELECT set_config('adhere.organization_id', $1, true), set_config('adhere.user_id', $2, true)`,
      [scope.organizationId ?? '', scope.userId ?? ''],
    );
  }
}
