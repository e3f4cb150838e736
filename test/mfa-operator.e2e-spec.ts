import { OPERATOR, OPERATOR_ENV } from './support/assessment-fixtures';
import { open, textOf } from './support/html';
import { enrolTotp } from './support/mfa-fixtures';
import { createTestApp, TestApp } from './support/test-app';

/** In production, the operator account sets up a second factor before its first operator action. */
describe('the operator account in production', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, NODE_ENV: 'production', NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
  });
  afterAll(() => t.close());

  it('is refused every operator route until it enrols; the account page and enrolment stay open', async () => {
    const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
    const refused = await operator.agent.get('/api/v1/operator/hash-lists').expect(403);
    expect(refused.body).toMatchObject({ code: 'auth.mfa_required', message: expect.stringContaining('/account') });
    expect(textOf(await open(operator.agent, '/operator/codes', 403))).toContain('The operator account needs a second factor');
    await open(operator.agent, '/account');
    await enrolTotp(operator);
    await operator.agent.get('/api/v1/operator/hash-lists').expect(200);
    await open(operator.agent, '/operator/codes');
  });
});
