import { serverUrl } from './test-database';

/**
 * `describe` or `it` for tests that need a PostgreSQL server (TEST_DATABASE_URL). Without one they are
 * skipped and one line says which and why, so that a run on the embedded database never passes over
 * them in silence. `skipped` names them, e.g. "test/races.e2e-spec.ts".
 */
export function onServer<Block extends jest.Describe | jest.It>(block: Block, skipped: string, reason: string): Block {
  if (serverUrl()) return block;
  process.stderr.write(`${skipped} skipped: ${reason}. Set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run on a server.\n`);
  return block.skip as Block;
}
