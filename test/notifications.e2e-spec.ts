import { SchedulerRegistry } from '@nestjs/schedule';
import { TransactionHost } from '../src/database/transaction-host';
import { MAX_DELIVERY_ATTEMPTS } from '../src/notifications/delivery-backoff';
import { NotificationDelivery } from '../src/notifications/notification-delivery';
import { NOTIFICATION_POLL } from '../src/notifications/notification-poller';
import type { NotificationInput } from '../src/notifications/notification-input';
import { Notifications } from '../src/notifications/notifications';
import { eventually } from './support/assessment-fixtures';
import { ReceivedMail, SmtpTestServer, startSmtpTestServer } from './support/smtp-test-server';
import { Actor, createTestApp, Member, TestApp } from './support/test-app';

const PUBLIC_URL = 'http://adhere.test:8080';
const FROM = 'notify@adhere.test';

/** The outbox, written in the caller's transaction, and its delivery through an SMTP server in this process. */
describe('notifications by e-mail', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  let provider: Actor;
  let editor: Member;
  let viewer: Member;
  let monitor: Actor;
  let reviewer: Member;
  let stranger: Actor;
  let sequence = 0;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await createTestApp({ SMTP_URL: smtp.url, MAIL_FROM: `Adhere Test <${FROM}>`, NOTIFICATION_POLL_SECONDS: '0', PUBLIC_URL });
    provider = await t.signUp({ organization: 'Notified Provider' });
    editor = await t.addMember(provider, 'editor');
    viewer = await t.addMember(provider, 'viewer');
    monitor = await t.signUp({ organization: 'Notified Monitor', kind: 'monitoring_body' });
    reviewer = await t.addMember(monitor, 'reviewer');
    stranger = await t.signUp({ organization: 'Stranger Provider' });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const notifications = () => t.app.get(Notifications);
  const delivery = () => t.app.get(NotificationDelivery);
  const host = () => t.app.get(TransactionHost);

  /** A notification to the provider's owners unless `overrides` says otherwise, with a key of its own. */
  function input(overrides: Partial<NotificationInput> = {}): NotificationInput {
    sequence += 1;
    return {
      event: 'decided',
      organizationId: provider.organization.id,
      to: { roles: ['owner'] },
      subject: `Declaration decided ${sequence}`,
      text: `The monitoring body decided declaration ${sequence}.`,
      key: `decided:test-${sequence}:1`,
      ...overrides,
    };
  }

  /** Enqueues in a transaction scoped as a request of `actingOrganizationId` would be. */
  function enqueue(notification: NotificationInput, actingOrganizationId = provider.organization.id): Promise<void> {
    return host().runScoped({ organizationId: actingOrganizationId }, () => notifications().enqueue(notification));
  }

  async function rowsWithKey(key: string) {
    return t.sql<{ id: string; organization_id: string; status: string; attempts: number; last_error: string | null; due_in_seconds: number }>(
      `SELECT id, organization_id, status, attempts, last_error, extract(epoch FROM next_attempt_at - now())::int AS due_in_seconds FROM notifications WHERE key = $1`,
      [key],
    );
  }

  async function deliveries(key: string) {
    return t.sql<{ email: string; status: string; attempts: number; error: string | null }>(
      `SELECT d.email, d.status, d.attempts, d.error FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.key = $1 ORDER BY d.email`,
      [key],
    );
  }

  /** Makes a waiting notification due now, as if its backoff had passed. */
  const makeDue = (key: string) => t.sql(`UPDATE notifications SET next_attempt_at = now() WHERE key = $1`, [key]);
  const mailsAbout = (subject: string): ReceivedMail[] => smtp.received.filter((mail) => mail.headers.subject === subject);

  describe('the outbox', () => {
    it('is written in the caller’s transaction, with the audience, for another organization than the caller’s', async () => {
      const notification = input({ event: 'submitted', organizationId: monitor.organization.id, to: { roles: ['admin'], userIds: [reviewer.userId] }, link: '/app/x/reviews/1' });
      await enqueue(notification, provider.organization.id);
      const [row] = await t.sql(`SELECT event, organization_id, user_ids, roles, subject, body, link, status, attempts FROM notifications WHERE key = $1`, [notification.key]);
      expect(row).toEqual({
        event: 'submitted',
        organization_id: monitor.organization.id,
        user_ids: [reviewer.userId],
        roles: ['admin'],
        subject: notification.subject,
        body: notification.text,
        link: '/app/x/reviews/1',
        status: 'pending',
        attempts: 0,
      });
    });

    it('leaves nothing behind when the transaction rolls back', async () => {
      const notification = input();
      await expect(
        host().runScoped({ organizationId: provider.organization.id }, async () => {
          await notifications().enqueue(notification);
          throw new Error('the event failed after all');
        }),
      ).rejects.toThrow('the event failed after all');
      expect(await rowsWithKey(notification.key)).toEqual([]);
    });

    it('writes one row for one key, however often it is enqueued, and one per organization', async () => {
      const notification = input();
      await enqueue(notification);
      await enqueue({ ...notification, subject: 'A second telling' });
      await host().runScoped({ organizationId: provider.organization.id }, async () => {
        await notifications().enqueue(notification);
        await notifications().enqueue(notification);
      });
      await enqueue({ ...notification, organizationId: monitor.organization.id, to: { roles: ['admin'] } });
      const rows = await rowsWithKey(notification.key);
      expect(rows.map((row) => row.organization_id).sort()).toEqual([provider.organization.id, monitor.organization.id].sort());
      expect(await t.sql(`SELECT subject FROM notifications WHERE key = $1 AND organization_id = $2`, [notification.key, provider.organization.id])).toEqual([
        { subject: notification.subject },
      ]);
    });

    it.each([
      ['an unknown event', { event: 'exploded' }, /event must be one of/],
      ['an organization id that is not a UUID', { organizationId: 'acme' }, /organizationId must be a UUID/],
      ['nobody to tell', { to: {} }, /to must name at least one user or role/],
      ['an unknown role', { to: { roles: ['king'] } }, /to.roles must be roles among/],
      ['a user id that is not a UUID', { to: { userIds: ['bob'] } }, /to.userIds must be a list/],
      ['a subject with a control character', { subject: 'Hello\u0007' }, /subject must be one line/],
      ['an empty text', { text: '  ' }, /text must be 1 to/],
      ['a link to another site', { link: '//evil.example/phish' }, /link must be a path of this application/],
      ['a link with a backslash', { link: '/\\evil.example' }, /link must be a path of this application/],
      ['a full URL as link', { link: 'https://evil.example/' }, /link must be a path of this application/],
      ['an empty key', { key: '' }, /key must be 1 to 200 characters/],
    ])('refuses %s and writes nothing', async (_case, overrides, message) => {
      const notification = { ...input(), ...overrides } as NotificationInput;
      const before = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM notifications`);
      await expect(enqueue(notification)).rejects.toThrow(message);
      expect(await t.sql(`SELECT count(*)::int AS n FROM notifications`)).toEqual(before);
    });

    it('cannot be read, changed or marked delivered by the application role, only added to', async () => {
      const asRequest = (sql: string) => host().runScoped({ organizationId: monitor.organization.id, userId: monitor.user.id }, () => host().manager.query(sql));
      await expect(asRequest(`SELECT * FROM notifications`)).rejects.toThrow(/permission denied/);
      await expect(asRequest(`SELECT email FROM notification_deliveries`)).rejects.toThrow(/permission denied/);
      await expect(asRequest(`UPDATE notifications SET status = 'sent'`)).rejects.toThrow(/permission denied/);
      await expect(asRequest(`DELETE FROM notifications`)).rejects.toThrow(/permission denied/);
      await expect(
        asRequest(`INSERT INTO notifications (key, event, organization_id, roles, subject, body, status) VALUES ('forged', 'decided', '${provider.organization.id}', '{owner}', 's', 'b', 'sent')`),
      ).rejects.toThrow(/permission denied/);
      await expect(
        asRequest(`INSERT INTO notification_deliveries (notification_id, user_id, email, name) SELECT id, '${monitor.user.id}', 'x@example.org', 'x' FROM notifications LIMIT 1`),
      ).rejects.toThrow(/permission denied/);
    });
  });

  describe('delivery', () => {
    // What the outbox tests enqueued goes first, so that each test below counts only its own mails.
    beforeAll(() => delivery().deliverDue());

    it('is not polled when NOTIFICATION_POLL_SECONDS is 0', () => {
      expect(t.app.get(SchedulerRegistry).doesExist('interval', NOTIFICATION_POLL)).toBe(false);
    });

    it('sends one mail to each member of the audience, even when two runs deliver at once', async () => {
      smtp.delayMs = 100;
      const link = `/app/${provider.organization.slug}/assessments/0b5e8f64-1f2a-4c3b-9d4e-5f6a7b8c9d0e`;
      // The owner by role and by id, the editor by role, the viewer by id; the stranger is no member.
      const notification = input({ to: { roles: ['owner', 'editor'], userIds: [provider.user.id, viewer.userId, stranger.user.id] }, link });
      await enqueue(notification);

      const runs = await Promise.all([delivery().deliverDue(), delivery().deliverDue()]);
      smtp.delayMs = 0;
      expect(runs.reduce((sum, run) => sum + run.sent, 0)).toBe(3);
      expect(runs.reduce((sum, run) => sum + run.deferred + run.failed + run.logged, 0)).toBe(0);

      const mails = mailsAbout(notification.subject);
      const audience = [provider.user.email, editor.email, viewer.email].sort();
      expect(mails.flatMap((mail) => mail.recipients).sort()).toEqual(audience);
      for (const mail of mails) {
        expect(mail.recipients).toHaveLength(1);
        expect(mail.headers.to).toContain(`<${mail.recipients[0]}>`);
        expect(mail.headers.from).toBe(`Adhere Test <${FROM}>`);
        expect(mail.headers['message-id']).toMatch(/^<[0-9a-f-]{36}\.[0-9a-f-]{36}@adhere\.test>$/);
        expect(mail.text).toBe(`${notification.text}\n\n${PUBLIC_URL}${link}\n`);
      }

      const again = await delivery().deliverDue();
      expect(again).toEqual({ notifications: 0, sent: 0, logged: 0, deferred: 0, failed: 0 });
      expect(mailsAbout(notification.subject)).toHaveLength(3);
      expect(await rowsWithKey(notification.key)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1, last_error: null })]);
      expect((await deliveries(notification.key)).map(({ email, status, attempts }) => ({ email, status, attempts }))).toEqual(
        audience.map((email) => ({ email, status: 'sent', attempts: 1 })),
      );
    });

    it('sends nobody a second copy when a notification is claimed again while a run is still sending it', async () => {
      smtp.delayMs = 300;
      const notification = input({ to: { roles: ['owner', 'editor', 'viewer'] } });
      await enqueue(notification);
      const slow = delivery().deliverDue();
      // As if the first run's lease had run out in the middle of its first mail.
      expect(await eventually(async () => (await t.sql(`SELECT 1 FROM notification_deliveries WHERE status = 'sending'`)).length > 0)).toBe(true);
      await makeDue(notification.key);
      const second = await delivery().deliverDue();
      const first = await slow;
      smtp.delayMs = 0;

      expect(first.notifications + second.notifications).toBe(2);
      expect(first.sent + second.sent).toBe(3);
      expect(mailsAbout(notification.subject).flatMap((mail) => mail.recipients).sort()).toEqual([provider.user.email, editor.email, viewer.email].sort());
      expect(await rowsWithKey(notification.key)).toEqual([expect.objectContaining({ status: 'sent' })]);
    });

    it('tries a refused mail again later, with a growing wait, and then delivers it once', async () => {
      smtp.refuse(editor.email, 2);
      const notification = input({ event: 'changes_requested', to: { roles: ['owner', 'editor'] } });
      await enqueue(notification);

      expect(await delivery().deliverDue()).toEqual({ notifications: 1, sent: 1, logged: 0, deferred: 1, failed: 0 });
      let [row] = await rowsWithKey(notification.key);
      expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('550') });
      expect(row.due_in_seconds).toBeGreaterThan(50);
      expect(row.due_in_seconds).toBeLessThanOrEqual(60);
      // Not due yet: nothing happens.
      expect(await delivery().deliverDue()).toMatchObject({ notifications: 0 });

      await makeDue(notification.key);
      expect(await delivery().deliverDue()).toEqual({ notifications: 1, sent: 0, logged: 0, deferred: 1, failed: 0 });
      [row] = await rowsWithKey(notification.key);
      expect(row).toMatchObject({ status: 'pending', attempts: 2 });
      expect(row.due_in_seconds).toBeGreaterThan(110);
      expect(row.due_in_seconds).toBeLessThanOrEqual(120);

      await makeDue(notification.key);
      expect(await delivery().deliverDue()).toEqual({ notifications: 1, sent: 1, logged: 0, deferred: 0, failed: 0 });
      expect(await rowsWithKey(notification.key)).toEqual([expect.objectContaining({ status: 'sent', attempts: 3, last_error: expect.stringContaining('550') })]);
      expect(mailsAbout(notification.subject).flatMap((mail) => mail.recipients).sort()).toEqual([provider.user.email, editor.email].sort());
      expect((await deliveries(notification.key)).map(({ email, status, attempts }) => ({ email, status, attempts }))).toEqual(
        [
          { email: provider.user.email, status: 'sent', attempts: 1 },
          { email: editor.email, status: 'sent', attempts: 3 },
        ].sort((a, b) => a.email.localeCompare(b.email)),
      );
    });

    it(`gives a mail up after ${MAX_DELIVERY_ATTEMPTS} refused attempts`, async () => {
      smtp.refuse(viewer.email, MAX_DELIVERY_ATTEMPTS + 5);
      const notification = input({ to: { userIds: [viewer.userId] } });
      await enqueue(notification);
      for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt += 1) {
        expect(await delivery().deliverDue()).toMatchObject({ notifications: 1, deferred: 1, failed: 0 });
        await makeDue(notification.key);
      }
      expect(await delivery().deliverDue()).toEqual({ notifications: 1, sent: 0, logged: 0, deferred: 0, failed: 1 });
      expect(await rowsWithKey(notification.key)).toEqual([expect.objectContaining({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS, last_error: expect.stringContaining('550') })]);
      expect(await deliveries(notification.key)).toEqual([expect.objectContaining({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS })]);
      await makeDue(notification.key);
      expect(await delivery().deliverDue()).toMatchObject({ notifications: 0 });
      expect(mailsAbout(notification.subject)).toEqual([]);
      smtp.refuse(viewer.email, 0);
    });

    it('never sends again a mail a run was interrupted while sending', async () => {
      const notification = input({ to: { roles: ['owner', 'editor'] } });
      await enqueue(notification);
      // A run claimed it, marked the owner's mail as sending and died.
      await t.sql(`UPDATE notifications SET attempts = 1 WHERE key = $1`, [notification.key]);
      await t.sql(
        `INSERT INTO notification_deliveries (notification_id, user_id, email, name, status, attempts, attempted_at)
         SELECT n.id, u.id, u.email, u.name, CASE WHEN u.id = $2 THEN 'sending' ELSE 'pending' END, CASE WHEN u.id = $2 THEN 1 ELSE 0 END, now() - interval '11 minutes'
           FROM notifications n, users u WHERE n.key = $1 AND u.id IN ($2, $3)`,
        [notification.key, provider.user.id, editor.userId],
      );
      expect(await delivery().deliverDue()).toEqual({ notifications: 1, sent: 1, logged: 0, deferred: 0, failed: 1 });
      expect(mailsAbout(notification.subject).flatMap((mail) => mail.recipients)).toEqual([editor.email]);
      expect(await rowsWithKey(notification.key)).toEqual([expect.objectContaining({ status: 'failed', last_error: expect.stringContaining('Interrupted while sending') })]);
    });

    it('fails a notification whose audience matches nobody in the organization', async () => {
      // A provider's role, in a monitoring body; and a member of another organization.
      const notification = input({ organizationId: monitor.organization.id, to: { roles: ['owner'], userIds: [provider.user.id] } });
      await enqueue(notification);
      expect(await delivery().deliverDue()).toEqual({ notifications: 1, sent: 0, logged: 0, deferred: 0, failed: 0 });
      expect(await rowsWithKey(notification.key)).toEqual([expect.objectContaining({ status: 'failed', last_error: 'Nobody in the organization matches these users or roles' })]);
      expect(mailsAbout(notification.subject)).toEqual([]);
    });

    it('sends to an address given with it, which needs no account, and once to a member who also has it', async () => {
      const address = 'complainant@example.net';
      const notification = input({ event: 'complaint_updated', organizationId: monitor.organization.id, to: { roles: ['reviewer'], emails: [address, reviewer.email] } });
      await enqueue(notification, provider.organization.id);
      expect(await delivery().deliverDue()).toEqual({ notifications: 1, sent: 2, logged: 0, deferred: 0, failed: 0 });
      const mails = mailsAbout(notification.subject);
      expect(mails.flatMap((mail) => mail.recipients).sort()).toEqual([address, reviewer.email].sort());
      const toAddress = mails.find((mail) => mail.recipients[0] === address)!;
      expect(toAddress.headers['message-id']).toMatch(/^<[0-9a-f-]{36}\.[0-9a-f]{32}@adhere\.test>$/);
      expect(await t.sql(`SELECT d.user_id, d.email, d.status FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.key = $1 ORDER BY d.email`, [notification.key])).toEqual(
        [
          { user_id: null, email: address, status: 'sent' },
          { user_id: reviewer.userId, email: reviewer.email, status: 'sent' },
        ].sort((a, b) => a.email.localeCompare(b.email)),
      );
    });

    it('resolves the audience when it delivers: someone who left in between is not told', async () => {
      const leaving = await t.addMember(monitor, 'reviewer');
      const notification = input({ event: 'assigned', organizationId: monitor.organization.id, to: { roles: ['reviewer'] } });
      await enqueue(notification, provider.organization.id);
      await t.sql(`DELETE FROM memberships WHERE id = $1`, [leaving.membershipId]);
      await delivery().deliverDue();
      expect(mailsAbout(notification.subject).flatMap((mail) => mail.recipients)).toEqual([reviewer.email]);
    });
  });
});
