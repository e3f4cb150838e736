import { rmSync } from 'node:fs';
import { PGLITE_DUMP_ENV, TEMPLATE_ENV, withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (template) await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
  const dump = process.env[PGLITE_DUMP_ENV];
  if (dump) rmSync(dump, { force: true });
}
