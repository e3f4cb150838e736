import { accredit, asCaller, call, OPERATOR_ENV, orgPath } from './support/assessment-fixtures';
import { Actor, createTestApp, TestApp } from './support/test-app';
import { reviewTeam, submittedAssessment } from './support/verification-fixtures';

/** The monitoring body's queue, filtered and ordered: what an admin sees with each of its query parameters. */
describe('review queue', () => {
  let t: TestApp;
  let monitor: Actor;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    monitor = await t.signUp({ organization: 'Queue Monitor', kind: 'monitoring_body' });
    await accredit(t, monitor);
    const zed = await t.signUp({ organization: 'Zed Provider' });
    const alpha = await t.signUp({ organization: 'alpha Provider' });
    // Submitted in this order: Zulu first, Alpha last.
    await submittedAssessment(t, zed, monitor, { targetLevel: 1, serviceName: 'Zulu' });
    await submittedAssessment(t, alpha, monitor, { targetLevel: 2, serviceName: 'Bravo' });
    await submittedAssessment(t, zed, monitor, { targetLevel: 2, serviceName: 'Alpha' });
  }, 120_000);

  afterAll(() => t?.close());

  async function queue(query: string): Promise<string[]> {
    const response = await call(t, asCaller(monitor), 'get', `${orgPath(monitor.organization.slug)}/reviews?${query}`).expect(200);
    return (response.body as Array<{ service: string }>).map((item) => item.service);
  }

  it('lists what is still to be decided, oldest submission first, and the newest first on request', async () => {
    expect(await queue('')).toEqual(['Zulu', 'Bravo', 'Alpha']);
    expect(await queue('sort=submitted')).toEqual(['Zulu', 'Bravo', 'Alpha']);
    expect(await queue('sort=age&order=desc')).toEqual(['Alpha', 'Bravo', 'Zulu']);
  });

  it('filters by state, code, level and assignment', async () => {
    expect(await queue('state=all')).toEqual(['Zulu', 'Bravo', 'Alpha']);
    expect(await queue('state=submitted')).toEqual(['Zulu', 'Bravo', 'Alpha']);
    expect(await queue('state=verified')).toEqual([]);
    expect(await queue('code=csea-detection-tools&level=2')).toEqual(['Bravo', 'Alpha']);
    expect(await queue('code=no-such-code')).toEqual([]);
    expect(await queue('level=1')).toEqual(['Zulu']);
    expect(await queue('mine=true')).toEqual([]);
  });

  it('orders by provider as people read names, whatever their case, then by service', async () => {
    expect(await queue('sort=provider')).toEqual(['Bravo', 'Alpha', 'Zulu']);
    expect(await queue('sort=provider&order=desc')).toEqual(['Zulu', 'Alpha', 'Bravo']);
    expect(await queue('sort=level&order=desc').then((services) => services[2])).toBe('Zulu');
  });

  it('shows a reviewer what is assigned to them', async () => {
    const { lead, second } = await reviewTeam(t, monitor);
    const [zulu] = (await call(t, asCaller(monitor), 'get', `${orgPath(monitor.organization.slug)}/reviews?level=1`).expect(200)).body as Array<{ id: string }>;
    await call(t, asCaller(monitor), 'post', `${orgPath(monitor.organization.slug)}/reviews/${zulu.id}/assign`).send({ lead: lead.userId, second: second.userId }).expect(200);
    const mine = await call(t, asCaller(lead), 'get', `${orgPath(monitor.organization.slug)}/reviews?mine=true&state=all`).expect(200);
    expect((mine.body as Array<{ service: string }>).map((item) => item.service)).toEqual(['Zulu']);
  });
});
