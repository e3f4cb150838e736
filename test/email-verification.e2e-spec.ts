import { createHash } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { VERIFICATION_MAILS_PER_HOUR } from '../src/auth/email-verification-limits';
import { VERIFY_LINK_GONE } from '../src/auth/email-verification.service';
import { NotificationDelivery } from '../src/notifications/notification-delivery';
import { accredit, asCaller, call, createService, createText, NOT_CHILD_DIRECTED, OPERATOR, OPERATOR_ENV, orgPath, startAssessment } from './support/assessment-fixtures';
import { csrfFrom, flashOf, messageFor, open, postForm, textOf } from './support/html';
import { openReview, recordFindings } from './support/review-fixtures';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';
import { answerAll, reviewTeam, SIGNATORY } from './support/verification-fixtures';

const VERIFY_SUBJECT = 'Confirm your e-mail address for Adhere';
const CHANGED_SUBJECT = 'Your Adhere account uses a new e-mail address';
let unique = 0;
const address = (what: string) => `${what}-${Date.now().toString(36)}${(unique += 1)}@example.org`;

/**
 * E-mail verification as a person meets it: sign up, read the link in the mail, confirm the address with
 * the page's button; before that, the acts that bind the organization are refused. A link works once and
 * for 24 hours; a new one can be asked for; a change of address waits for the new address's link.
 */
describe('e-mail verification', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await createTestApp({ ...OPERATOR_ENV, SMTP_URL: smtp.url, NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const deliver = () => t.app.get(NotificationDelivery).deliverDue();
  const mailsTo = async (email: string, subject: string) => {
    await deliver();
    return smtp.received.filter((mail) => mail.recipients.includes(email) && mail.headers.subject === subject);
  };
  /** The newest verification link mailed to `email`, read from its line of its own. */
  const linkIn = async (email: string): Promise<{ path: string; token: string }> => {
    const mails = await mailsTo(email, VERIFY_SUBJECT);
    expect(mails.length).toBeGreaterThan(0);
    const match = /^https?:\/\/[^\s/]+(\/verify-email\/([A-Za-z0-9_-]+))$/m.exec(mails[mails.length - 1].text);
    expect(match).not.toBeNull();
    return { path: match![1], token: match![2] };
  };
  const verify = (token: string) => request(t.server).post(`/api/v1/auth/verify-email/${token}`).send({});
  const session = async (who: { agent: TestAgent }) => (await who.agent.get('/api/v1/auth/session').expect(200)).body.user;
  const unverified = (email: string) => ({
    statusCode: 403,
    code: 'auth.email_unverified',
    message: `Confirm your e-mail address first: open the link mailed to ${email}, or send a new one from your account page (/account).`,
  });

  it('refuses the acts that bind the organization until the mailed link confirms the address, which it does once', async () => {
    const monitor = await t.signUp({ kind: 'monitoring_body' });
    await accredit(t, monitor);
    const owner = await t.signUp({ email: address('owner'), verified: false });
    expect(await session(owner)).toMatchObject({ email: owner.user.email, emailVerified: false });
    const slug = owner.organization.slug;
    const who = asCaller(owner);

    // Setting up and drafting work; submitting, inviting and minting tokens wait.
    const service = await createService(t, who, slug, NOT_CHILD_DIRECTED);
    const evidence = await createText(t, who, slug, { title: 'Policy', text: 'We vet every licensee.' });
    const draft = await startAssessment(t, who, slug, { serviceId: service.id, monitoringBody: monitor.organization.slug, targetLevel: 2 });
    await answerAll(t, who, slug, draft, evidence.id);
    const submit = () => call(t, who, 'post', `${orgPath(slug)}/assessments/${draft.id}/submit`).send({ signatory: SIGNATORY });
    expect((await submit().expect(403)).body).toMatchObject(unverified(owner.user.email));
    expect((await call(t, who, 'post', `${orgPath(slug)}/invitations`).send({ email: address('colleague'), role: 'editor' }).expect(403)).body.code).toBe('auth.email_unverified');
    expect((await call(t, who, 'post', `${orgPath(slug)}/tokens`).send({ name: 'ci', scopes: ['read'] }).expect(403)).body.code).toBe('auth.email_unverified');
    // Another organization's route still answers 404 first, telling nothing of the address.
    await call(t, who, 'post', `${orgPath(monitor.organization.slug)}/invitations`).send({ email: address('x'), role: 'reviewer' }).expect(404);
    expect(await t.sql(`SELECT 1 FROM invitations WHERE organization_id = $1`, [owner.organization.id])).toEqual([]);

    const { token } = await linkIn(owner.user.email);
    expect(token.length).toBeGreaterThanOrEqual(22); // 128 bits and more, in base64url
    const [stored] = await t.sql<{ token_hash: string; hours: number; email: string }>(
      `SELECT token_hash, email, round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours FROM email_verifications WHERE user_id = $1`,
      [owner.user.id],
    );
    expect(stored).toEqual({ token_hash: createHash('sha256').update(token).digest('hex'), email: owner.user.email, hours: 24 });

    expect((await verify(token).expect(200)).body).toEqual({ email: owner.user.email, changed: false, message: `${owner.user.email} is confirmed as your address.` });
    expect(await session(owner)).toMatchObject({ emailVerified: true });
    await submit().expect(200);
    await call(t, who, 'post', `${orgPath(slug)}/invitations`).send({ email: address('colleague'), role: 'editor' }).expect(201);
    await call(t, who, 'post', `${orgPath(slug)}/tokens`).send({ name: 'ci', scopes: ['read'] }).expect(201);

    const replay = await verify(token).expect(410);
    expect(replay.body).toMatchObject({ code: 'auth.verification_link_expired', message: VERIFY_LINK_GONE });
    const audit = await t.sql(`SELECT action FROM audit_events WHERE target_id = $1 AND action = 'account.email_verified'`, [owner.user.id]);
    expect(audit).toHaveLength(1);

    // A reviewer whose address is unconfirmed may review but not decide, until they confirm it.
    const { lead, second } = await reviewTeam(t, monitor);
    const team = { monitor, admin: asCaller(monitor), lead, second };
    await openReview(t, team, draft.id);
    await recordFindings(t, team, draft.id);
    await t.sql(`UPDATE users SET email_verified_at = NULL WHERE id = $1`, [lead.userId]);
    const propose = () => call(t, asCaller(lead), 'post', `${orgPath(monitor.organization.slug)}/reviews/${draft.id}/decision`).send({ outcome: 'verified', publicSummary: 'Meets the code.' });
    expect((await propose().expect(403)).body).toMatchObject(unverified(lead.email));
    await lead.agent.post('/api/v1/auth/verify-email').set('X-CSRF-Token', lead.csrf).send({}).expect(202);
    await verify((await linkIn(lead.email)).token).expect(200);
    await propose().expect(201);
  });

  it('refuses an expired link and an unknown one with 410, and a GET of the page spends nothing', async () => {
    const person = await t.signUp({ email: address('slow'), verified: false });
    const { path, token } = await linkIn(person.user.email);
    const page = await open(request.agent(t.server), path);
    expect(textOf(page)).toContain(`Press the button to confirm that ${person.user.email} is your address`);
    await open(request.agent(t.server), path);
    await t.sql(`UPDATE email_verifications SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [person.user.id]);
    expect((await verify(token).expect(410)).body.code).toBe('auth.verification_link_expired');
    expect((await verify('not-a-link-we-sent').expect(410)).body.code).toBe('auth.verification_link_expired');
    expect(await session(person)).toMatchObject({ emailVerified: false });
    // The operator's view of the outbox shows that a link went out, never the link itself.
    const outbox = await open((await t.signIn(OPERATOR.email, OPERATOR.password)).agent, '/operator/notifications');
    expect(outbox).toContain(VERIFY_SUBJECT);
    expect(outbox).toContain('/verify-email/…');
    expect(outbox).not.toContain(token);
  });

  it(`sends a new link on request, at most ${VERIFICATION_MAILS_PER_HOUR} an hour, and none once the address is confirmed`, async () => {
    const person = await t.signUp({ email: address('again'), verified: false });
    const resend = () => person.agent.post('/api/v1/auth/verify-email').set('X-CSRF-Token', person.csrf).send({});
    await request(t.server).post('/api/v1/auth/verify-email').send({}).expect(401);
    const first = await linkIn(person.user.email);
    // Sign-up's link counts: four more.
    for (let n = 1; n < VERIFICATION_MAILS_PER_HOUR; n += 1) expect((await resend().expect(202)).body.message).toContain(person.user.email);
    expect((await resend().expect(429)).body.code).toBe('auth.too_many_verification_mails');
    expect(await mailsTo(person.user.email, VERIFY_SUBJECT)).toHaveLength(VERIFICATION_MAILS_PER_HOUR);
    // The newest link confirms; the older ones for the same address are spent with it.
    await verify((await linkIn(person.user.email)).token).expect(200);
    await verify(first.token).expect(410);
    await t.sql(`DELETE FROM email_verifications WHERE user_id = $1`, [person.user.id]);
    expect((await resend().expect(409)).body.code).toBe('auth.email_already_verified');
  });

  it('changes the address only once the new one is confirmed, tells the old one, and refuses a taken address (409) at request and at confirmation', async () => {
    const person = await t.signUp({ email: address('moving') });
    const other = await t.signUp({ email: address('other') });
    const change = (email: string, password = PASSWORD) => person.agent.put('/api/v1/auth/email').set('X-CSRF-Token', person.csrf).send({ email, password });
    const newAddress = address('moved');

    expect((await change(newAddress, 'not my password at all').expect(400)).body).toMatchObject({ code: 'auth.wrong_password', details: { password: ['The password is wrong'] } });
    expect((await change(person.user.email.toUpperCase()).expect(400)).body.code).toBe('auth.email_unchanged');
    expect((await change(other.user.email).expect(409)).body).toMatchObject({ code: 'tenancy.email_taken', details: { email: ['Another account uses this address'] } });
    expect((await change(newAddress).expect(202)).body.message).toContain(`A link to confirm ${newAddress} is on its way to it`);

    // Nothing changes yet: the old address signs in, the new one does not.
    expect(await session(person)).toMatchObject({ email: person.user.email, emailVerified: true });
    await request(t.server).post('/api/v1/auth/login').send({ email: newAddress, password: PASSWORD }).expect(401);
    const mail = (await mailsTo(newAddress, VERIFY_SUBJECT))[0];
    expect(mail.text).toContain(`keeps its old address until this one is confirmed`);

    expect((await verify((await linkIn(newAddress)).token).expect(200)).body).toMatchObject({ email: newAddress, changed: true });
    expect(await session(person)).toMatchObject({ email: newAddress, emailVerified: true });
    await request(t.server).post('/api/v1/auth/login').send({ email: newAddress, password: PASSWORD }).expect(200);
    await request(t.server).post('/api/v1/auth/login').send({ email: person.user.email, password: PASSWORD }).expect(401);
    const [told] = await mailsTo(person.user.email, CHANGED_SUBJECT);
    expect(told.text).toContain(`changed from ${person.user.email} to ${newAddress}`);
    expect(told.text).toMatch(/^https?:\/\/\S+\/forgot-password$/m);

    // Someone takes the address between the request and the confirmation: 409, and nothing changes.
    const contested = address('contested');
    await change(contested).expect(202);
    const { token } = await linkIn(contested);
    await t.signUp({ email: contested });
    expect((await verify(token).expect(409)).body.code).toBe('tenancy.email_taken');
    expect(await session(person)).toMatchObject({ email: newAddress });
  });

  it('counts an accepted invitation as proof of the address, and the operator’s address as proven', async () => {
    const owner = await t.signUp();
    const member = await t.addMember(owner, 'editor');
    expect(await session(member)).toMatchObject({ email: member.email, emailVerified: true });

    // Someone who signed up, unconfirmed, and then accepts an invitation to their own address.
    const invited = await t.signUp({ email: address('invited'), verified: false });
    const invitation = await call(t, asCaller(owner), 'post', `${orgPath(owner.organization.slug)}/invitations`).send({ email: invited.user.email, role: 'viewer' }).expect(201);
    await invited.agent.post(`/api/v1/invitations/${invitation.body.token}/accept`).set('X-CSRF-Token', invited.csrf).send({}).expect(200);
    expect(await session(invited)).toMatchObject({ emailVerified: true });

    const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
    expect(await session(operator)).toMatchObject({ emailVerified: true });
  });

  it('works through the pages: the notice, the refusal, the button that sends the link, the link’s page, the change of address', async () => {
    const browser: TestAgent = request.agent(t.server);
    const email = address('browser');
    const signUp = await open(browser, '/signup');
    const created = await postForm(browser, '/signup', {
      _csrf: csrfFrom(signUp),
      email,
      password: PASSWORD,
      name: 'Bea Browser',
      'organization[name]': `Browser Org ${unique}`,
      'organization[kind]': 'provider',
    }).expect(303);
    const home = await open(browser, created.headers.location);
    expect(textOf(home)).toContain(`Confirm your e-mail address: open the link we mailed to ${email}`);

    const slug = created.headers.location.split('/')[2];
    const inviteForm = await open(browser, `/app/${slug}/invitations/new`);
    const refused = await postForm(browser, `/app/${slug}/invitations`, { _csrf: csrfFrom(inviteForm), email: address('friend'), role: 'editor' }).expect(403);
    expect(textOf(refused.text)).toContain(`open the link mailed to ${email}, or send a new one from your account page`);
    expect(textOf(refused.text)).toContain('auth.email_unverified');

    const account = await open(browser, '/account');
    expect(textOf(account)).toContain(`${email} is not confirmed yet`);
    await postForm(browser, '/account/verify-email', { _csrf: csrfFrom(account) }).expect(303);
    expect(flashOf(await open(browser, '/account'))).toContain(`A new link to confirm ${email} is on its way`);

    const { path } = await linkIn(email);
    const page = await open(browser, path);
    const confirmed = await postForm(browser, path, { _csrf: csrfFrom(page) }).expect(303);
    expect(confirmed.headers.location).toBe('/account');
    const after = await open(browser, '/account');
    expect(flashOf(after)).toBe(`${email} is confirmed as your address.`);
    expect(textOf(after)).toContain(`${email} is confirmed.`);
    expect(after).not.toContain('id="email-unverified"');
    expect(textOf(await open(browser, path, 410))).toContain(VERIFY_LINK_GONE);

    const wrong = await postForm(browser, '/account/email', { _csrf: csrfFrom(after), email: address('elsewhere'), password: 'not my password at all' }).expect(400);
    expect(messageFor(wrong.text, 'email-password')).toBe('The password is wrong');
    const newAddress = address('elsewhere');
    await postForm(browser, '/account/email', { _csrf: csrfFrom(after), email: newAddress, password: PASSWORD }).expect(303);
    const waiting = await open(browser, '/account');
    expect(textOf(waiting)).toContain(`A link to confirm ${newAddress} was mailed to it; your account keeps ${email} until it is opened.`);
    // Opened in a browser that is signed out: the change is made, and the account page asks to sign in first.
    const elsewhere: TestAgent = request.agent(t.server);
    const link = (await linkIn(newAddress)).path;
    const done = await postForm(elsewhere, link, { _csrf: csrfFrom(await open(elsewhere, link)) }).expect(303);
    expect(done.headers.location).toBe('/account');
    const signIn = (await elsewhere.get('/account').redirects(0).expect(303)).headers.location;
    expect(signIn).toBe('/signin?next=%2Faccount');
    expect(flashOf(await open(elsewhere, signIn))).toBe(`Your account now uses ${newAddress}; the old address was told.`);
  });
});
