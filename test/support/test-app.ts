import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { createTestDatabase } from './test-database';

export const PASSWORD = 'correct horse battery staple';

export interface Actor {
  agent: TestAgent;
  csrf: string;
  user: { id: string; email: string; name: string };
  organization: { id: string; slug: string; name: string; kind: string };
}

export interface Member {
  agent: TestAgent;
  csrf: string;
  userId: string;
  email: string;
  membershipId: string;
}

export interface TestApp {
  app: INestApplication;
  server: ReturnType<INestApplication['getHttpServer']>;
  /** Runs SQL as the database owner, outside row-level security. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Signs a person up with an organization. The address counts as verified unless `verified: false`
   * (marked in the database: the mailed link itself is what test/email-verification.e2e-spec.ts tries).
   */
  signUp(options?: { email?: string; name?: string; organization?: string; kind?: 'provider' | 'monitoring_body'; verified?: boolean }): Promise<Actor>;
  signIn(email: string, password?: string): Promise<Omit<Actor, 'organization' | 'user'>>;
  /** Adds a member with `role` to the inviter's organization: an invitation, accepted by a newcomer. */
  addMember(inviter: Actor, role: string): Promise<Member>;
  close(): Promise<void>;
}

let counter = 0;
let created = false;

/**
 * Boots the whole AppModule on a database of its own, as `npm start` would, with logs silenced.
 * Once per test file: the configuration is read when the application's modules are first loaded.
 */
export async function createTestApp(environment: Record<string, string> = {}): Promise<TestApp> {
  if (created) throw new Error('createTestApp runs once per test file; put a second configuration in a file of its own');
  created = true;
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'adhere-data-'));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-1234',
    DATABASE_URL: database.url ?? '',
    ...environment,
  });
  // Imported only now: the configuration module reads the environment when the module is loaded.
  const { AppModule } = await import('../../src/app.module.js');
  const { configureApp } = await import('../../src/app.setup.js');
  let builder = Test.createTestingModule({ imports: [AppModule] });
  if (database.embedded) builder = builder.overrideProvider(EmbeddedPostgres).useValue(database.embedded);
  const moduleRef = await builder.compile();
  const app = configureApp(moduleRef.createNestApplication({ bufferLogs: true, bodyParser: false }));
  // Express keeps compiled views only when NODE_ENV is production. No test edits a template, so pages
  // render as in production instead of compiling their template and layout again for every request.
  app.getHttpAdapter().getInstance().enable('view cache');
  await app.init();
  const server = app.getHttpServer();
  const dataSource = app.get(DataSource);

  const testApp: TestApp = {
    app,
    ...httpTestClient(server, (text, params) => dataSource.query(text, params)),
    async close() {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return testApp;
}

/**
 * What the tests need of a running application besides the application object: SQL as the database
 * owner, and people who sign up, sign in and join through its HTTP API. `server` is an HTTP server in
 * this process or the address of one in another.
 */
export function httpTestClient(server: TestApp['server'], sql: TestApp['sql']): Pick<TestApp, 'server' | 'sql' | 'signUp' | 'signIn' | 'addMember'> {
  return {
    server,
    sql,
    async signUp(options = {}) {
      counter += 1;
      const unique = `${Date.now().toString(36)}${counter}`;
      const agent = request.agent(server);
      const response = await agent
        .post('/api/v1/auth/signup')
        .send({
          email: options.email ?? `person-${unique}@example.org`,
          password: PASSWORD,
          name: options.name ?? `Person ${unique}`,
          organization: { name: options.organization ?? `Organization ${unique}`, kind: options.kind ?? 'provider' },
        })
        .expect(201);
      if (options.verified !== false) await sql('UPDATE users SET email_verified_at = now() WHERE id = $1', [response.body.user.id]);
      const session = await agent.get('/api/v1/auth/session').expect(200);
      return { agent, csrf: session.body.csrfToken, user: response.body.user, organization: response.body.organization };
    },
    async signIn(email, password = PASSWORD) {
      const agent = request.agent(server);
      await agent.post('/api/v1/auth/login').send({ email, password }).expect(200);
      const session = await agent.get('/api/v1/auth/session').expect(200);
      return { agent, csrf: session.body.csrfToken };
    },
    async addMember(inviter, role) {
      counter += 1;
      const email = `member-${Date.now().toString(36)}${counter}@example.org`;
      const invitation = await inviter.agent
        .post(`/api/v1/orgs/${inviter.organization.slug}/invitations`)
        .set('X-CSRF-Token', inviter.csrf)
        .send({ email, role })
        .expect(201);
      const agent = request.agent(server);
      const accepted = await agent.post(`/api/v1/invitations/${invitation.body.token}/accept`).send({ name: `Member ${counter}`, password: PASSWORD }).expect(200);
      const session = await agent.get('/api/v1/auth/session').expect(200);
      const [membership] = await sql<{ id: string }>('SELECT id FROM memberships WHERE organization_id = $1 AND user_id = $2', [
        inviter.organization.id,
        accepted.body.user.id,
      ]);
      return { agent, csrf: session.body.csrfToken, userId: accepted.body.user.id, email, membershipId: membership.id };
    },
  };
}
