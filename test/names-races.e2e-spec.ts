import request from 'supertest';
import { DataSource, type QueryRunner } from 'typeorm';
import { nameSkeleton } from '../src/common/names/name-skeleton';
import { asCaller, call, eventually, orgPath } from './support/assessment-fixtures';
import { createTestApp, PASSWORD, type Actor, type TestApp } from './support/test-app';
import { onServer } from './support/on-server';

/*
 * A look-alike name written by another transaction after the request checked the names, before it
 * wrote its own: the unique index makes the request wait, then refuses it with the same 409 as the check.
 * The interleaving is forced by a transaction of the test's own left open, so it needs a PostgreSQL
 * server: the embedded database is one backend whose requests take turns, where it cannot happen.
 */
const withServer = onServer(describe, 'test/names-races.e2e-spec.ts', 'its interleaving needs a second connection holding a transaction open, which the embedded database cannot have');

withServer('names: look-alikes racing past the check', () => {
  let t: TestApp;
  let owner: Actor;
  let holder: QueryRunner;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.signUp({ organization: 'Racing Names Ltd' });
  }, 90_000);
  afterAll(() => t?.close());

  beforeEach(async () => {
    holder = t.app.get(DataSource).createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
  });
  afterEach(async () => {
    if (holder.isTransactionActive) await holder.rollbackTransaction();
    await holder.release();
  });

  /** Waits until a statement of this database waits for a lock: the request's write, behind the open transaction's. */
  async function waiting(): Promise<void> {
    const seen = await eventually(async () => {
      const [row] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      return row.n >= 1;
    }, 10_000);
    expect(seen).toBe(true);
  }

  const organizationHeld = (name: string) =>
    holder.query(`INSERT INTO organizations (kind, slug, name, name_skeleton) VALUES ('provider', $1, $2, $3)`, [`held-${Date.now().toString(36)}`, name, nameSkeleton(name)]);

  it('refuses a sign-up whose look-alike was written meanwhile, and creates no account', async () => {
    await organizationHeld('Held Race Ltd');
    const users = (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM users`))[0].n;
    const signUp = request(t.server).post('/api/v1/auth/signup').send({ email: 'racer@example.org', password: PASSWORD, name: 'Rae Racer', organization: { name: 'HELD RACE LTD', kind: 'provider' } }).then((response) => response);
    await waiting();
    await holder.commitTransaction();
    const response = await signUp;
    expect(response.status).toBe(409);
    expect(response.body.details).toEqual({ 'organization.name': ["looks the same as another organization's name (ignoring case and look-alike characters)"] });
    expect((await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM users`))[0].n).toBe(users);
  });

  it('refuses a rename whose look-alike was written meanwhile, and leaves the name as it was', async () => {
    await organizationHeld('Renamed Race Ltd');
    const [before] = await t.sql<{ name: string; version: number }>(`SELECT name, version FROM organizations WHERE id = $1`, [owner.organization.id]);
    const rename = call(t, asCaller(owner), 'patch', orgPath(owner.organization.slug)).send({ name: 'Renamed R\u0430ce Ltd', version: before.version }).then((response) => response);
    await waiting();
    await holder.commitTransaction();
    const response = await rename;
    expect(response.status).toBe(409);
    expect(response.body.details).toEqual({ name: ["looks the same as another organization's name (ignoring case and look-alike characters)"] });
    expect((await t.sql(`SELECT name, version FROM organizations WHERE id = $1`, [owner.organization.id]))[0]).toEqual(before);
  });

  it('refuses a service whose look-alike in the same organization was written meanwhile', async () => {
    await holder.query(`INSERT INTO services (organization_id, name, name_skeleton) VALUES ($1, 'Held Scanner', $2)`, [owner.organization.id, nameSkeleton('Held Scanner')]);
    const create = call(t, asCaller(owner), 'post', `${orgPath(owner.organization.slug)}/services`).send({ name: 'Held Sc\u0430nner', profile: {} }).then((response) => response);
    await waiting();
    await holder.commitTransaction();
    const response = await create;
    expect(response.status).toBe(409);
    expect(response.body.details).toEqual({ name: ['another service has this name, or one that looks the same'] });
  });
});
