import request from 'supertest';
import { createTestApp, TestApp } from './support/test-app';

describe('operator setup link on a first start', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('issues one unused setup link, stored only as a hash, valid for a day', async () => {
    const tokens = await t.sql<{ token_hash: string; hours: string }>(
      `SELECT token_hash, round(extract(epoch FROM expires_at - now()) / 3600) AS hours FROM setup_tokens WHERE used_at IS NULL`,
    );
    expect(tokens).toHaveLength(1);
    expect(tokens[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(tokens[0].hours)).toBe(24);
    await request(t.server).get('/setup/not-the-token').expect(404);
  });
});
