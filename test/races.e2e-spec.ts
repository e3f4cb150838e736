import request from 'supertest';
import {
  accredit,
  type AssessmentBody,
  asCaller,
  call,
  createService,
  eventually,
  getAssessment,
  OPERATOR_ENV,
  orgPath,
  startAssessment,
} from './support/assessment-fixtures';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';
import { lockHolder } from './support/lock-holder';
import { onServer } from './support/on-server';

/*
 * Races between a use and what ends it (an invitation accepted while it is revoked, an API token or a
 * session used while it is revoked or signed out), and between two saves of the same answers in
 * opposite orders. They need a PostgreSQL server: the embedded database is one backend whose requests
 * take turns, where none of these can happen.
 */
const withServer = onServer(describe, 'test/races.e2e-spec.ts', 'the embedded database is one backend whose requests take turns, where none of these races can happen');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Answered = { status: number; body: Record<string, unknown> };

withServer('races on a PostgreSQL server', () => {
  let t: TestApp;
  let owner: Actor;
  let assessment: AssessmentBody;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    owner = await t.signUp({ organization: 'Racing Provider' });
    const monitor = await t.signUp({ organization: 'Racing Monitor', kind: 'monitoring_body' });
    await accredit(t, monitor);
    const service = await createService(t, asCaller(owner), owner.organization.slug);
    assessment = await startAssessment(t, asCaller(owner), owner.organization.slug, { serviceId: service.id, monitoringBody: monitor.organization.slug });
  }, 120_000);
  afterAll(() => t?.close());

  const holder = lockHolder(() => t);

  const slug = () => owner.organization.slug;
  const assessmentPath = () => `${orgPath(slug())}/assessments/${assessment.id}`;
  const keys = () => assessment.answers.map((answer) => answer.requirementKey);

  const hold = (sql: string, params: unknown[]) => holder.hold(sql, params);

  async function lockWaits(): Promise<number> {
    const [row] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    return row.n;
  }

  /** Waits until `n` statements wait for a lock, or `done()` holds. */
  async function until(n: number, done: () => boolean = () => false): Promise<void> {
    expect(await eventually(async () => done() || (await lockWaits()) >= n, 15_000)).toBe(true);
  }

  /** Sends a request at once and remembers when its answer came. */
  function send(test: request.Test): Promise<Answered> & { settled: () => boolean } {
    let settled = false;
    const sent = test.then((response) => {
      settled = true;
      return { status: response.status, body: response.body as Record<string, unknown> };
    });
    return Object.assign(sent, { settled: () => settled });
  }

  const answerRow = (key: string) =>
    t.sql<{ version: number; statement: string | null }>('SELECT version, statement FROM answers WHERE assessment_id = $1 AND requirement_key = $2', [assessment.id, key]).then((rows) => rows[0]);
  const lockAnswer = (key: string) => hold('SELECT 1 FROM answers WHERE assessment_id = $1 AND requirement_key = $2 FOR UPDATE', [assessment.id, key]);

  /** A session of its own for `email`: its cookie and CSRF token, sent by hand so that no cookie jar changes them. */
  async function session(email: string, password = PASSWORD): Promise<{ cookie: string; csrf: string }> {
    const login = await request(t.server).post('/api/v1/auth/login').send({ email, password }).expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('adhere.sid='))!.split(';')[0];
    const current = await request(t.server).get('/api/v1/auth/session').set('Cookie', cookie).expect(200);
    return { cookie, csrf: current.body.csrfToken };
  }

  /** The workspace form of one answer, posted as a browser would: the answer, then a redirect that stores the session. */
  function postSection(who: { cookie: string; csrf: string }, key: string, version: number, statement: string) {
    const answer = assessment.answers.find((candidate) => candidate.requirementKey === key)!;
    return request(t.server)
      .post(`/app/${slug()}/assessments/${assessment.id}/sections/${answer.section}`)
      .set('Cookie', who.cookie)
      .type('form')
      .send({ _csrf: who.csrf, answers: { [key]: { claim: 'met', statement, version: String(version) } } });
  }

  describe('an invitation revoked while it is accepted', () => {
    let counter = 0;
    async function invite(): Promise<{ id: string; token: string; email: string }> {
      counter += 1;
      const email = `racing-invitee-${counter}-${Date.now().toString(36)}@example.org`;
      const response = await call(t, asCaller(owner), 'post', `${orgPath(slug())}/invitations`).send({ email, role: 'owner' }).expect(201);
      return { id: response.body.id, token: response.body.token, email };
    }
    const accept = (token: string) => send(request(t.server).post(`/api/v1/invitations/${token}/accept`).send({ name: 'Racing Invitee', password: PASSWORD }));
    const revoke = (id: string) => send(call(t, asCaller(owner), 'delete', `${orgPath(slug())}/invitations/${id}`));

    async function outcomeOf(invitation: { id: string; email: string }) {
      const [row] = await t.sql<{ accepted: boolean; revoked: boolean }>('SELECT accepted_at IS NOT NULL AS accepted, revoked_at IS NOT NULL AS revoked FROM invitations WHERE id = $1', [invitation.id]);
      const members = await t.sql('SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 AND lower(u.email) = lower($2)', [owner.organization.id, invitation.email]);
      return { ...row, member: members.length === 1 };
    }

    it('is either accepted or revoked, never both, when the revocation comes while the password is hashed', async () => {
      const invitation = await invite();
      // The acceptance waits to write the new account, after it has read the invitation and hashed the password.
      const release = await hold(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'Placeholder', 'x')`, [invitation.email]);
      const accepting = accept(invitation.token);
      await until(1);
      const revoked = await revoke(invitation.id);
      await release();
      const accepted = await accepting;

      expect(revoked.status).toBe(204);
      expect(accepted.status).toBe(404);
      expect(await outcomeOf(invitation)).toEqual({ accepted: false, revoked: true, member: false });
      expect(await t.sql('SELECT 1 FROM users WHERE lower(email) = lower($1)', [invitation.email])).toEqual([]);
    }, 60_000);

    it('is either accepted or revoked, never both, over many rounds at random moments', async () => {
      const outcomes: string[] = [];
      for (let round = 0; round < 20; round++) {
        const invitation = await invite();
        const accepting = accept(invitation.token);
        await pause((round % 5) * 10);
        const [accepted, revoked] = await Promise.all([accepting, revoke(invitation.id)]);
        const stored = await outcomeOf(invitation);
        outcomes.push(`${accepted.status}/${revoked.status}`);
        // Exactly one of the two succeeds, and the database says the same.
        expect([accepted.status === 200, revoked.status === 204].filter(Boolean)).toHaveLength(1);
        expect(stored).toEqual(accepted.status === 200 ? { accepted: true, revoked: false, member: true } : { accepted: false, revoked: true, member: false });
        if (accepted.status !== 200) expect(accepted.status).toBe(404);
        if (revoked.status !== 204) expect(revoked.status).toBe(410);
      }
      expect(outcomes).toHaveLength(20);
    }, 180_000);
  });

  describe('an API token revoked while it is used', () => {
    async function newToken(): Promise<{ id: string; token: string }> {
      const response = await call(t, asCaller(owner), 'post', `${orgPath(slug())}/tokens`).send({ name: `Racing ${Date.now().toString(36)}`, scopes: ['write'] }).expect(201);
      return { id: response.body.id, token: response.body.token };
    }
    const withToken = (token: string, test: request.Test) => test.set('Authorization', `Bearer ${token}`);
    const revoke = (id: string) => call(t, asCaller(owner), 'delete', `${orgPath(slug())}/tokens/${id}`);
    const actsOf = async (tokenId: string) => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE actor_token_id = $1', [tokenId]))[0].n;

    it('lets no request it authorised write after the revocation is confirmed', async () => {
      const { id, token } = await newToken();
      const key = keys()[0];
      const { version } = await answerRow(key);
      const release = await lockAnswer(key);
      // The token's save is inside its transaction, waiting for the answer the test holds.
      const using = send(withToken(token, request(t.server).put(`${assessmentPath()}/answers/${key}`)).send({ claim: 'met', statement: 'Saved by a token', evidenceIds: [], version }));
      await until(1);
      let confirmed: { version: number; statement: string | null } | undefined;
      const revoking = send(revoke(id)).then(async (answer) => {
        confirmed = await answerRow(key);
        return answer;
      });
      let revoked = false;
      void revoking.then(() => (revoked = true));
      // Either the revocation is answered at once, or it waits for the request in flight.
      await until(2, () => revoked);
      await release();
      const [used, revocation] = await Promise.all([using, revoking]);

      expect(revocation.status).toBe(204);
      expect(used.status).toBe(200);
      // What the database held when the revocation was confirmed is what it holds now.
      expect(await answerRow(key)).toEqual(confirmed);
      const after = await withToken(token, request(t.server).put(`${assessmentPath()}/answers/${key}`)).send({ claim: 'met', statement: 'Too late', evidenceIds: [], version: version + 1 });
      expect(after.status).toBe(401);
    }, 60_000);

    it('lets no request write after the revocation is confirmed, over many rounds of parallel use', async () => {
      for (let round = 0; round < 10; round++) {
        const { id, token } = await newToken();
        const uses = Array.from({ length: 6 }, (_, n) =>
          send(withToken(token, request(t.server).post(`${orgPath(slug())}/evidence`)).send({ kind: 'link', title: `Racing link ${round}.${n}`, url: `https://example.org/${round}/${n}` })),
        );
        await pause((round % 4) * 5);
        const confirmedActs = await revoke(id)
          .expect(204)
          .then(() => actsOf(id));
        const later = await withToken(token, request(t.server).post(`${orgPath(slug())}/evidence`)).send({ kind: 'link', title: 'Too late', url: 'https://example.org/late' });
        const answers = await Promise.all(uses);
        expect(later.status).toBe(401);
        expect(answers.map((answer) => answer.status).filter((status) => status !== 201 && status !== 401)).toEqual([]);
        // Each request either acted before the revocation was confirmed or was refused.
        expect(await actsOf(id)).toBe(confirmedActs);
        expect(confirmedActs).toBe(answers.filter((answer) => answer.status === 201).length);
      }
    }, 180_000);
  });

  describe('a session ended while it is used', () => {
    it('sign-out waits for the requests of the session in flight, and a request that ends later does not bring the session back', async () => {
      const person = await session(owner.user.email);
      const key = keys()[1];
      const { version } = await answerRow(key);
      const release = await lockAnswer(key);
      const using = send(postSection(person, key, version, 'Saved in a session being signed out'));
      await until(1);
      let confirmed: { version: number; statement: string | null } | undefined;
      let signedOut = false;
      const signingOut = send(request(t.server).post('/api/v1/auth/logout').set('Cookie', person.cookie).set('X-CSRF-Token', person.csrf)).then(async (answer) => {
        confirmed = await answerRow(key);
        signedOut = true;
        return answer;
      });
      await until(2, () => signedOut);
      await release();
      const [used, signOut] = await Promise.all([using, signingOut]);

      expect(signOut.status).toBe(204);
      expect(used.status).toBe(303);
      expect(await answerRow(key)).toEqual(confirmed);
      // The request that finished last stored its session (a flash message): that must not sign it in again.
      await request(t.server).get('/api/v1/auth/session').set('Cookie', person.cookie).expect(401);
    }, 60_000);

    it('a password change ends the other sessions only once their requests in flight are done, and they stay ended', async () => {
      const member = await t.addMember(owner, 'editor');
      const other = await session(member.email);
      const key = keys()[2];
      const { version } = await answerRow(key);
      const release = await lockAnswer(key);
      const using = send(postSection(other, key, version, 'Saved in a session about to end'));
      await until(1);
      let confirmed: { version: number; statement: string | null } | undefined;
      let changed = false;
      const changing = send(member.agent.put('/api/v1/auth/password').set('X-CSRF-Token', member.csrf).send({ currentPassword: PASSWORD, newPassword: 'a new and longer passphrase' })).then(
        async (answer) => {
          confirmed = await answerRow(key);
          changed = true;
          return answer;
        },
      );
      await until(2, () => changed);
      await release();
      const [used, change] = await Promise.all([using, changing]);

      expect(change.status).toBe(204);
      expect(used.status).toBe(303);
      expect(await answerRow(key)).toEqual(confirmed);
      await request(t.server).get('/api/v1/auth/session').set('Cookie', other.cookie).expect(401);
      await member.agent.get('/api/v1/auth/session').expect(200);
    }, 60_000);
  });

  describe('a member removed while they act', () => {
    it('the removal waits for their requests in flight, and later ones find them gone', async () => {
      const member = await t.addMember(owner, 'editor');
      const key = keys()[3];
      const { version } = await answerRow(key);
      const release = await lockAnswer(key);
      const using = send(call(t, asCaller(member), 'put', `${assessmentPath()}/answers/${key}`).send({ claim: 'met', statement: 'Saved by a member being removed', evidenceIds: [], version }));
      await until(1);
      let confirmed: { version: number; statement: string | null } | undefined;
      let removed = false;
      const removing = send(call(t, asCaller(owner), 'delete', `${orgPath(slug())}/members/${member.membershipId}`)).then(async (answer) => {
        confirmed = await answerRow(key);
        removed = true;
        return answer;
      });
      await until(2, () => removed);
      await release();
      const [used, removal] = await Promise.all([using, removing]);

      expect(removal.status).toBe(204);
      expect(used.status).toBe(200);
      expect(await answerRow(key)).toEqual(confirmed);
      await call(t, asCaller(member), 'get', assessmentPath()).expect(404);
    }, 60_000);
  });

  describe('bulk saves of the same answers in opposite orders', () => {
    it('never answer with a server error, and each round keeps one whole save', async () => {
      const saved = keys().slice(0, 20);
      expect(saved.length).toBeGreaterThanOrEqual(10);
      const statuses: number[] = [];
      for (let round = 0; round < 30; round++) {
        const current = await getAssessment(t, asCaller(owner), slug(), assessment.id);
        const versionOf = new Map(current.answers.map((answer) => [answer.requirementKey, answer.version]));
        const body = (order: string[], label: string) => ({
          answers: order.map((key) => ({ requirementKey: key, claim: 'met', statement: `Round ${round}, ${label}`, evidenceIds: [], version: versionOf.get(key) })),
        });
        const answers = await Promise.all([
          send(call(t, asCaller(owner), 'put', `${assessmentPath()}/answers`).send(body(saved, 'forwards'))),
          send(call(t, asCaller(owner), 'put', `${assessmentPath()}/answers`).send(body([...saved].reverse(), 'backwards'))),
        ]);
        statuses.push(...answers.map((answer) => answer.status));
        expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
        // Both saves were based on the same versions: one wins whole, the other is refused whole.
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
        const statements = new Set((await t.sql<{ statement: string }>('SELECT statement FROM answers WHERE assessment_id = $1 AND requirement_key = ANY($2)', [assessment.id, saved])).map((row) => row.statement));
        expect(statements.size).toBe(1);
      }
      expect(statuses).toHaveLength(60);
    }, 300_000);

    it('a save that still deadlocks is run again, and succeeds', async () => {
      const [first, second] = [...keys()].sort().slice(0, 2);
      const current = await getAssessment(t, asCaller(owner), slug(), assessment.id);
      const versionOf = new Map(current.answers.map((answer) => [answer.requirementKey, answer.version]));
      const release = await lockAnswer(second);
      const saving = send(
        call(t, asCaller(owner), 'put', `${assessmentPath()}/answers`).send({
          answers: [first, second].map((key) => ({ requirementKey: key, claim: 'met', statement: 'Saved after a deadlock', evidenceIds: [], version: versionOf.get(key) })),
        }),
      );
      // The save holds the first answer and waits for the second; the test then waits for the first: a
      // deadlock, which PostgreSQL breaks by aborting the save, the first to have waited.
      await until(1);
      await holder.query('SELECT 1 FROM answers WHERE assessment_id = $1 AND requirement_key = $2 FOR UPDATE', [assessment.id, first]);
      await release();
      const saved = await saving;

      expect(saved.status).toBe(200);
      expect((await answerRow(first)).statement).toBe('Saved after a deadlock');
      expect((await answerRow(second)).statement).toBe('Saved after a deadlock');
    }, 60_000);

    it('a save that deadlocks each time it runs is answered 409 with a stable code, and nothing of it is kept', async () => {
      const [first, second] = [...keys()].sort().slice(2, 4);
      const before = [await answerRow(first), await answerRow(second)];
      const release = await lockAnswer(second);
      const saving = send(
        call(t, asCaller(owner), 'put', `${assessmentPath()}/answers`).send({
          answers: [first, second].map((key, n) => ({ requirementKey: key, claim: 'met', statement: 'Never saved', evidenceIds: [], version: before[n].version })),
        }),
      );
      const [{ xid }] = (await holder.query(`SELECT transactionid::text AS xid FROM pg_locks WHERE locktype = 'transactionid' AND pid = pg_backend_pid()`)) as Array<{ xid: string }>;
      const waitingForSecond = async () =>
        (await t.sql(`SELECT 1 FROM pg_locks WHERE NOT granted AND locktype = 'transactionid' AND transactionid::text = $1`, [xid])).length > 0;
      try {
        // Each run of the save holds the first answer and waits for the second, which the test holds; each
        // time, the test then asks for the first too (in a savepoint it rolls back, keeping the second),
        // and PostgreSQL breaks the deadlock by aborting the save, which waited first. (Only a wait for
        // the second counts: a run may briefly wait for the first while the savepoint still holds it.)
        for (;;) {
          expect(await eventually(async () => saving.settled() || (await waitingForSecond()), 15_000)).toBe(true);
          if (saving.settled()) break;
          await holder.query('SAVEPOINT deadlock');
          await holder.query('SELECT 1 FROM answers WHERE assessment_id = $1 AND requirement_key = $2 FOR UPDATE', [assessment.id, first]);
          await holder.query('ROLLBACK TO SAVEPOINT deadlock');
        }
      } finally {
        await release();
      }
      const saved = await saving;

      expect(saved.status).toBe(409);
      expect(saved.body).toMatchObject({ statusCode: 409, code: 'TRANSACTION_CONFLICT', message: expect.stringContaining('nothing was saved') });
      expect([await answerRow(first), await answerRow(second)]).toEqual(before);
    }, 60_000);
  });
});
