import type { Pool } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { serverUrl } from './support/test-database';
import { createTestApp, TestApp } from './support/test-app';

/** The embedded database is one connection that requests take turns on; only a server has a pool to exhaust. */
const onServer = serverUrl() ? it : it.skip;

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

  onServer('stays ready while every pooled connection is busy serving requests', async () => {
    const dataSource = t.app.get(DataSource);
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const held = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
    try {
      expect(pool.idleCount).toBe(0);
      await request(t.server).get('/health/ready').expect(200, { status: 'ok', database: 'up' });
    } finally {
      held.forEach((client) => client.release());
    }
  });

  it('echoes a sane request id the caller sent', async () => {
    const response = await request(t.server).get('/health/live').set('X-Request-Id', 'trace-12345678');
    expect(response.headers['x-request-id']).toBe('trace-12345678');
  });
});
