import type { Pool } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { onServer } from './support/on-server';
import { createTestApp, TestApp } from './support/test-app';
import { DatabaseProbe } from '../src/health/database-probe';

/** The embedded database is one connection that requests take turns on; only a server has a pool to exhaust. */
const withPool = onServer(it, 'test/health.e2e-spec.ts, its two connection-pool tests,', 'the embedded database has no pool to exhaust or break');

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

  it('is not ready while the database does not answer, and says when to ask again', async () => {
    const probe = jest.spyOn(t.app.get(DatabaseProbe), 'check').mockRejectedValueOnce(new Error('timeout exceeded when trying to connect'));
    const response = await request(t.server).get('/health/ready').expect(503);
    expect(response.body).toEqual({ statusCode: 503, code: 'health.database_unreachable', error: 'Service Unavailable', message: 'The database is not reachable.' });
    expect(response.headers['retry-after']).toBe('5');
    expect(probe).toHaveBeenCalledTimes(1);
    await request(t.server).get('/health/ready').expect(200, { status: 'ok', database: 'up' });
  });

  withPool('stays ready while every pooled connection is busy serving requests', async () => {
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

  withPool('survives a connection that the database server ends while it is handed out', async () => {
    const pool = (t.app.get(DataSource).driver as unknown as { master: Pool }).master;
    // Handed out, a client has only its holder's listeners: the pool's own is removed until it returns.
    const client = await pool.connect();
    const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    await t.sql('SELECT pg_terminate_backend($1)', [pid]);
    // The `error` event arrives with the server's goodbye; unheard, it would be thrown and end the process.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release(true);
    await request(t.server).get('/health/ready').expect(200);
    await request(t.server).get('/api/v1/register').expect(200);
  });

  it('echoes a sane request id the caller sent', async () => {
    const response = await request(t.server).get('/health/live').set('X-Request-Id', 'trace-12345678');
    expect(response.headers['x-request-id']).toBe('trace-12345678');
  });
});
