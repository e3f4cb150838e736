import { Client as PgClient } from 'pg';

/**
 * One statement on the server's database as the superuser, on a connection of its own: row-level
 * security does not apply, so the checks see every row, and no connection outlives an outage.
 */
export async function sql<T = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new PgClient({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}
