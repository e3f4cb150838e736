import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { TransactionHost } from '../src/database/transaction-host';
import { NOTIFICATION_POLL } from '../src/notifications/notification-poller';
import type { NotificationInput } from '../src/notifications/notification-input';
import { Notifications } from '../src/notifications/notifications';
import { eventually, OPERATOR } from './support/assessment-fixtures';
import { open, textOf } from './support/html';
import { Actor, createTestApp, Member, TestApp } from './support/test-app';

/**
 * Without SMTP_URL, notifications are written to the log and marked logged, by the poller on its own;
 * the operator's page lists them.
 */
describe('notifications without a mail server, and the operator’s page', () => {
  let t: TestApp;
  let operator: TestAgent;
  let provider: Actor;
  let editor: Member;

  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password, NOTIFICATION_POLL_SECONDS: '1' });
    operator = (await t.signIn(OPERATOR.email, OPERATOR.password)).agent;
    provider = await t.signUp({ organization: 'Logged Provider' });
    editor = await t.addMember(provider, 'editor');
  }, 60_000);
  afterAll(() => t?.close());

  function enqueue(notification: NotificationInput): Promise<void> {
    const host = t.app.get(TransactionHost);
    return host.runScoped({ organizationId: provider.organization.id }, () => t.app.get(Notifications).enqueue(notification));
  }

  const statusOf = async (key: string) => (await t.sql<{ status: string }>(`SELECT status FROM notifications WHERE key = $1`, [key]))[0]?.status;

  it('logs each mail, marks it logged and lists it, escaped, on the operator’s page', async () => {
    const notification: NotificationInput = {
      event: 'changes_requested',
      organizationId: provider.organization.id,
      to: { roles: ['owner'], userIds: [editor.userId] },
      subject: 'Changes requested on <b>Messenger</b> & co',
      text: 'Please answer LIC-01 again.\n<script>alert("x")</script>',
      link: `/app/${provider.organization.slug}/assessments/1`,
      key: 'changes_requested:page-test:1',
    };
    await enqueue(notification);
    // Nobody calls the delivery here: the poller does, within a second or two.
    expect(t.app.get(SchedulerRegistry).doesExist('interval', NOTIFICATION_POLL)).toBe(true);
    expect(await eventually(async () => (await statusOf(notification.key)) === 'logged', 10_000)).toBe(true);
    // This notification's deliveries: sign-up mailed each person a link to confirm the address too.
    const deliveries = `SELECT d.email, d.status FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.key = $1 ORDER BY d.email`;
    expect(await t.sql(deliveries, [notification.key])).toEqual(
      [provider.user.email, editor.email].sort().map((email) => ({ email, status: 'logged' })),
    );

    const html = await open(operator, '/operator/notifications');
    expect(html).toContain('<a href="/operator/notifications">Notifications</a>');
    expect(html).toContain('Changes requested on &lt;b&gt;Messenger&lt;/b&gt; &amp; co');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Messenger');
    const text = textOf(html);
    expect(text).toContain('changes requested · to Logged Provider');
    expect(text).toContain(provider.user.email);
    expect(text).toContain(editor.email);
    expect(text).toContain(notification.link);
    expect(text).toContain('every owner; 1 named person');
    expect(text).toMatch(/logged/);
  });

  it('filters by status', async () => {
    const failed: NotificationInput = {
      event: 'expired',
      organizationId: provider.organization.id,
      to: { roles: ['reviewer'] },
      subject: 'Nobody reviews here',
      text: 'A provider has no reviewers.',
      key: 'expired:page-test:1',
    };
    await enqueue(failed);
    expect(await eventually(async () => (await statusOf(failed.key)) === 'failed', 10_000)).toBe(true);

    const onlyFailed = textOf(await open(operator, '/operator/notifications?status=failed'));
    expect(onlyFailed).toContain('Nobody reviews here');
    expect(onlyFailed).toContain('Nobody in the organization matches these users or roles');
    expect(onlyFailed).not.toContain('Changes requested on');
    const onlyLogged = textOf(await open(operator, '/operator/notifications?status=logged'));
    expect(onlyLogged).toContain('Changes requested on');
    expect(onlyLogged).not.toContain('Nobody reviews here');
    expect(textOf(await open(operator, '/operator/notifications?status=pending'))).toContain('No notification has the status pending.');
    await operator.get('/operator/notifications?status=bogus').expect(400);
    await operator.get('/operator/notifications?limit=5').expect(400);
  });

  it('is refused to everyone but the operator', async () => {
    const owner = await provider.agent.get('/operator/notifications').expect(403);
    expect(owner.text).not.toContain('Changes requested on');
    const anonymous = await request(t.server).get('/operator/notifications').redirects(0).expect(303);
    expect(anonymous.headers.location).toBe('/signin?next=%2Foperator%2Fnotifications');
    const created = await provider.agent.post(`/api/v1/orgs/${provider.organization.slug}/tokens`).set('X-CSRF-Token', provider.csrf).send({ name: 'probe', scopes: ['read', 'write'] }).expect(201);
    await request(t.server).get('/operator/notifications').set('Authorization', `Bearer ${created.body.token}`).expect(403);
    expect((await provider.agent.get(`/app/${provider.organization.slug}`).expect(200)).text).not.toContain('href="/operator/notifications"');
  });
});
