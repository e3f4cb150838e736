import type { QueryRunner } from 'typeorm';

/**
 * Changes the events the notification outbox takes (its CHECK constraint) from the ones it takes now,
 * which each feature that mails people extends with its own.
 */
export async function changeNotificationEvents(queryRunner: QueryRunner, change: (events: string[]) => string[]): Promise<void> {
  const [{ definition }] = (await queryRunner.query(
    `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = 'notifications'::regclass AND conname = 'notifications_event_check'`,
  )) as Array<{ definition: string }>;
  const events = [...new Set(change([...definition.matchAll(/'([a-z_]+)'/g)].map((match) => match[1])))];
  const list = events.map((event) => `'${event}'`).join(', ');
  await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_event_check`);
  await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_event_check CHECK (event IN (${list}))`);
}
