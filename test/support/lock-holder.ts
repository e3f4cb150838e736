import { DataSource, type QueryRunner } from 'typeorm';
import type { TestApp } from './test-app';

export interface LockHolder {
  /** The test's own connection, for statements inside a held transaction. */
  query(sql: string, params?: unknown[]): Promise<unknown>;
  /** Runs `sql` in a transaction of the test's own, which keeps its locks until the returned function ends it. */
  hold(sql: string, params: unknown[], end?: 'commit' | 'rollback'): Promise<() => Promise<void>>;
}

/**
 * A connection of the test's own, opened before each test and closed after it, that holds row locks
 * while the application runs into them: how the race suites force an interleaving.
 */
export function lockHolder(app: () => TestApp): LockHolder {
  let runner: QueryRunner;
  beforeEach(async () => {
    runner = app().app.get(DataSource).createQueryRunner();
    await runner.connect();
  });
  afterEach(async () => {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  });
  return {
    query: (sql, params) => runner.query(sql, params),
    async hold(sql, params, end = 'rollback') {
      await runner.startTransaction();
      await runner.query(sql, params);
      return () => (end === 'commit' ? runner.commitTransaction() : runner.rollbackTransaction());
    },
  };
}
