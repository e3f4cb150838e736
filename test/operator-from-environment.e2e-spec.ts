import request from 'supertest';
import { createTestApp, TestApp } from './support/test-app';

describe('operator account from OPERATOR_EMAIL and OPERATOR_PASSWORD', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_EMAIL: 'ops@example.org', OPERATOR_PASSWORD: 'operator passphrase 1' });
  });
  afterAll(() => t.close());

  it('is created at start-up, can sign in, and no setup link is issued', async () => {
    const users = await t.sql<{ is_operator: boolean }>(`SELECT is_operator FROM users WHERE email = 'ops@example.org'`);
    expect(users).toEqual([{ is_operator: true }]);
    expect(await t.sql(`SELECT 1 FROM setup_tokens`)).toEqual([]);
    const agent = request.agent(t.server);
    await agent.post('/api/v1/auth/login').send({ email: 'ops@example.org', password: 'operator passphrase 1' }).expect(200);
    const session = await agent.get('/api/v1/auth/session').expect(200);
    expect(session.body.user).toMatchObject({ isOperator: true, emailVerified: true });
  });
});
