import request from 'supertest';
import { createTestApp, TestApp } from './support/test-app';

describe('health and cross-cutting behaviour', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers live and ready, with a request id', async () => {
    const live = await request(t.server).get('/health/live').expect(200);
    expect(live.body).toEqual({ status: 'ok' });
    expect(live.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await request(t.server).get('/health/ready').expect(200, { status: 'ok', database: 'up' });
  });

  it('echoes a sane request id the caller sent', async () => {
    const response = await request(t.server).get('/health/live').set('X-Request-Id', 'trace-12345678');
    expect(response.headers['x-request-id']).toBe('trace-12345678');
  });
});
