import type { TestApp } from './test-app';

/** What someone with superuser rights could do: change an event's data behind the append-only trigger. */
export async function tamperWithAuditEvent(t: Pick<TestApp, 'sql'>, id: string, data: Record<string, unknown>): Promise<void> {
  await t.sql(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
  try {
    await t.sql(`UPDATE audit_events SET data = $2 WHERE id = $1`, [id, JSON.stringify(data)]);
  } finally {
    await t.sql(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
  }
}
