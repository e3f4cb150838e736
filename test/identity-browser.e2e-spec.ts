import type { Browser, CDPSession, Page } from 'playwright-core';
import { AccessibilityAudit, freePort, goBy, launchChromium, newBrowserContext, step } from './support/browser';
import { accredit, asCaller, OPERATOR_ENV } from './support/assessment-fixtures';
import { aMinuteLater, passwordStep, totpCode } from './support/mfa-fixtures';
import { onReview, openReview, recordFindings, registerEntryOfService, type Team } from './support/review-fixtures';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { Actor, createTestApp, PASSWORD as MEMBER_PASSWORD, TestApp } from './support/test-app';
import { reviewTeam, submittedAssessment, type Submitted } from './support/verification-fixtures';

const PASSWORD = 'a long passphrase nobody guesses';
/** A platform authenticator that verifies its user, as a laptop's fingerprint reader does (CTAP2, resident keys). */
const AUTHENTICATOR = { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true } as const;

/** Someone at their own browser, with the authenticator built into it. */
interface Person {
  name: string;
  email: string;
  page: Page;
  /** Chromium's DevTools session on the page, through which its virtual authenticator is driven. */
  devtools: CDPSession;
  authenticatorId: string;
}

/**
 * Identity in a real browser, through the pages: a reviewer of a monitoring body signs up, enrols a
 * passkey on the account page with the browser's platform authenticator (Chromium's virtual one, which
 * verifies the user as a fingerprint reader would), signs out, and signs in again with the passkey
 * alone; she adds an authenticator app (its codes computed here from the key the page shows) and signs
 * in with the password and either factor. Her monitoring body then requires a second factor and
 * step-up: a reviewer without a factor is refused until he adds a passkey, approves a decision by
 * confirming it with his passkey, and she suspends the verification with a fresh code. The review
 * itself is set up through the API; every step of identity goes through the pages. Each step builds on
 * the one before.
 */
describe('identity in a browser', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let browser: Browser;
  let baseUrl: string;
  const audit = new AccessibilityAudit();
  let current: Page | undefined;
  const serverErrors: string[] = [];
  let failedStep: string | undefined;

  const reviewer = { name: 'Rosa Reviewer', email: 'rosa@northern-monitoring.example', organization: 'Northern Monitoring Body' };
  let rosa: Person;
  /** The key of Rosa's authenticator app, as the set-up page shows it. */
  let secret: string;
  /** The monitoring body's review, set up through the API, whose decision waits for the second reviewer. */
  let review: { slug: string; team: Team; submitted: Submitted };
  let sam: Person;

  beforeAll(async () => {
    browser = await launchChromium();
    smtp = await startSmtpTestServer();
    const port = await freePort();
    // `localhost`, not an IP address: a passkey's relying party id must be a domain name.
    baseUrl = `http://localhost:${port}`;
    t = await createTestApp({ ...OPERATOR_ENV, PUBLIC_URL: baseUrl, SMTP_URL: smtp.url, NOTIFICATION_POLL_SECONDS: '1', EXPIRY_JOB_SECONDS: '0' });
    await t.app.listen(port, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  /** A step: a failure saves the page in test/artifacts/identity/ and stops the steps after it. */
  function identityStep(name: string, action: () => Promise<void>): void {
    it(name, async () => {
      if (failedStep) throw new Error(`Not run: the step "${failedStep}" failed before it.`);
      try {
        await step('identity', name, () => current, action);
      } catch (error) {
        failedStep = name;
        throw error;
      }
    }, 60_000);
  }

  /** A browser of the person's own, with a platform authenticator that verifies its user (CTAP2, resident keys). */
  async function newPerson(name: string, email: string): Promise<Person> {
    const context = await newBrowserContext(browser, baseUrl);
    const page = await context.newPage();
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.status() >= 500) serverErrors.push(`${response.status()} ${response.url()}`);
    });
    const devtools = await context.newCDPSession(page);
    await devtools.send('WebAuthn.enable');
    const { authenticatorId } = await devtools.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR });
    return { name, email, page, devtools, authenticatorId };
  }

  /** Another device in the person's hands: a new authenticator, empty, instead of the one before. */
  async function switchAuthenticator(who: Person): Promise<void> {
    await who.devtools.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: who.authenticatorId });
    who.authenticatorId = (await who.devtools.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR })).authenticatorId;
  }

  async function arrived(who: Person, pageName: string): Promise<void> {
    current = who.page;
    expect(serverErrors).toEqual([]);
    if (!audit.checked.includes(pageName)) await audit.expectAccessible(who.page, pageName);
  }

  async function visit(who: Person, path: string, pageName: string): Promise<void> {
    await who.page.goto(path);
    await arrived(who, pageName);
  }

  async function follow(who: Person, action: () => Promise<unknown>, pageName: string): Promise<void> {
    await goBy(who.page, action);
    await arrived(who, pageName);
  }

  const click = (who: Person, role: 'link' | 'button', name: string, pageName: string) =>
    follow(who, () => who.page.getByRole(role, { name, exact: true }).first().click(), pageName);
  const heading = async (who: Person) => (await who.page.getByRole('heading', { level: 1 }).innerText()).trim();
  const flash = async (who: Person) => (await who.page.locator('main > p.flash').innerText()).trim();

  /** Waits for the mail the application sends `to` with a subject like `subject`. */
  async function mailTo(to: string, subject: RegExp): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const mail = smtp.received.find((item) => item.recipients.includes(to) && subject.test(item.headers.subject ?? ''));
      if (mail) return mail.text;
      if (Date.now() > deadline) throw new Error(`No mail to ${to} with a subject like ${subject} arrived.`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The credentials the person's authenticator holds, as Chromium reports them. */
  async function credentialsOf(who: Person) {
    const { credentials } = await who.devtools.send('WebAuthn.getCredentials', { authenticatorId: who.authenticatorId });
    return credentials;
  }

  identityStep('a reviewer of a monitoring body signs up through the pages', async () => {
    rosa = await newPerson(reviewer.name, reviewer.email);
    await visit(rosa, '/', 'the home page, signed out');
    await click(rosa, 'button', 'Create an account', 'the sign-up form');
    await rosa.page.getByLabel('Your name').fill(rosa.name);
    await rosa.page.getByLabel('Email address').fill(rosa.email);
    await rosa.page.getByLabel('Password').fill(PASSWORD);
    await rosa.page.getByLabel('Organization name').fill(reviewer.organization);
    await rosa.page.getByRole('radio', { name: /^a monitoring body/ }).check();
    await click(rosa, 'button', 'Create account', 'the monitoring body’s overview');
    expect(await flash(rosa)).toBe(`Welcome to Adhere. ${reviewer.organization} is ready.`);
  });

  identityStep('she confirms her address from the link mailed to her', async () => {
    const text = await mailTo(rosa.email, /^Confirm your e-mail address for Adhere$/);
    const link = /^(https?:\/\/\S+\/verify-email\/\S+)$/m.exec(text);
    expect(link).not.toBeNull();
    await visit(rosa, link![1], 'the e-mail confirmation page');
    await click(rosa, 'button', 'Confirm my address', 'the account page, address confirmed');
    expect(await flash(rosa)).toBe(`${rosa.email} is confirmed as your address.`);
  });

  identityStep('she enrols a passkey on the account page', async () => {
    await click(rosa, 'link', rosa.name, 'the account page, without a passkey');
    expect(await heading(rosa)).toBe('Your account');
    await expectText(rosa, 'You have no passkey yet.');
    await rosa.page.getByLabel('Name of the new passkey').fill('Work laptop');
    await follow(rosa, () => rosa.page.getByRole('button', { name: 'Add a passkey' }).click(), 'the account page, with a passkey');
    const passkeys = rosa.page.getByRole('article', { name: 'Passkeys' });
    await expect(passkeys.getByRole('cell', { name: 'Work laptop', exact: true }).count()).resolves.toBe(1);
    // The authenticator holds one discoverable credential for this site, for her account.
    const credentials = await credentialsOf(rosa);
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
    expect(await mailTo(rosa.email, /A passkey was added/)).toContain('“Work laptop” was added');
  });

  identityStep('she signs out', async () => {
    await click(rosa, 'button', 'Sign out', 'the home page, signed out');
    await expect(rosa.page.getByRole('link', { name: 'Sign in' }).count()).resolves.toBe(1);
  });

  identityStep('she signs in with the passkey alone, no password typed', async () => {
    await click(rosa, 'link', 'Sign in', 'the sign-in page');
    await follow(rosa, () => rosa.page.getByRole('button', { name: 'Sign in with a passkey' }).click(), 'the home page, signed in');
    await expect(rosa.page.getByRole('link', { name: rosa.name }).count()).resolves.toBe(1);
    await visit(rosa, '/account', 'the account page, with a passkey');
    await expect(rosa.page.getByRole('article', { name: 'Passkeys' }).getByRole('row').filter({ hasText: 'Work laptop' }).innerText()).resolves.not.toContain('never');
    const [credential] = await credentialsOf(rosa);
    expect(credential.signCount).toBeGreaterThanOrEqual(1);
  });

  identityStep('she adds a passkey from another device and removes it with her password and a passkey', async () => {
    // The laptop's authenticator holds a passkey here already, so the site asks it not to make a second
    // one: the other device is another authenticator, and the laptop's comes back afterwards.
    const laptop = await credentialsOf(rosa);
    await switchAuthenticator(rosa);
    await rosa.page.getByLabel('Name of the new passkey').fill('Old phone');
    await follow(rosa, () => rosa.page.getByRole('button', { name: 'Add a passkey' }).click(), 'the account page, with a passkey');
    const row = rosa.page.getByRole('article', { name: 'Passkeys' }).getByRole('row').filter({ hasText: 'Old phone' });
    await row.getByLabel('Your password, to remove “Old phone”').fill('not her password');
    await row.getByRole('button', { name: 'Remove “Old phone”' }).click();
    await expect(rosa.page.getByRole('status').innerText()).resolves.toContain('The password is wrong.');
    await row.getByLabel('Your password, to remove “Old phone”').fill(PASSWORD);
    await follow(rosa, () => row.getByRole('button', { name: 'Remove “Old phone”' }).click(), 'the account page, with a passkey');
    const names = await rosa.page.getByRole('article', { name: 'Passkeys' }).locator('tbody tr td:first-child').allInnerTexts();
    expect(names).toEqual(['Work laptop']);
    expect(await mailTo(rosa.email, /A passkey was removed/)).toContain('“Old phone” was removed');
    await switchAuthenticator(rosa);
    await rosa.devtools.send('WebAuthn.addCredential', { authenticatorId: rosa.authenticatorId, credential: laptop[0] });
  });

  identityStep('she adds an authenticator app, typing the first code it shows', async () => {
    await click(rosa, 'button', 'Set up an authenticator app', 'the authenticator set-up page');
    expect(await heading(rosa)).toBe('Set up an authenticator app');
    secret = (await rosa.page.locator('figcaption code').innerText()).replace(/\s+/g, '');
    await rosa.page.getByLabel('Code from the app').fill(totpCode(secret));
    await click(rosa, 'button', 'Turn on the authenticator', 'the recovery codes');
    expect(await heading(rosa)).toBe('Your recovery codes');
    await expect(rosa.page.locator('#recovery-codes li').count()).resolves.toBe(10);
    expect(await mailTo(rosa.email, /A second factor was added/)).toMatch(/authenticator app was added to your Adhere account/i);
  });

  identityStep('she signs out and back in with her password and a code from the app', async () => {
    await click(rosa, 'button', 'Sign out', 'the home page, signed out');
    await signInWithPassword(rosa, PASSWORD, 'the sign-in’s second page, with a code and a passkey');
    expect(await heading(rosa)).toBe('Enter your code');
    await expect(rosa.page.getByRole('button', { name: 'Confirm with a passkey' }).isVisible()).resolves.toBe(true);
    await rosa.page.getByLabel('Code from your authenticator app, or a recovery code').fill(totpCode(secret, 1));
    await click(rosa, 'button', 'Sign in', 'the home page, signed in');
    await expect(rosa.page.getByRole('link', { name: rosa.name }).count()).resolves.toBe(1);
  });

  identityStep('she signs out and back in with her password and her passkey', async () => {
    await click(rosa, 'button', 'Sign out', 'the home page, signed out');
    await signInWithPassword(rosa, PASSWORD, 'the sign-in’s second page, with a code and a passkey');
    await click(rosa, 'button', 'Confirm with a passkey', 'the home page, signed in');
    await expect(rosa.page.getByRole('link', { name: rosa.name }).count()).resolves.toBe(1);
  });

  identityStep('her monitoring body gets a review whose decision waits for approval (set up through the API)', async () => {
    const [organization] = await t.sql<Actor['organization']>(`SELECT id, slug, name, kind FROM organizations WHERE name = $1`, [reviewer.organization]);
    const [user] = await t.sql<Actor['user']>(`SELECT id, email, name FROM users WHERE email = $1`, [rosa.email]);
    // Her own codes, on another client: the step the browser used is let go, as a minute later.
    await aMinuteLater(t, user.id);
    const { agent } = await passwordStep(t, rosa.email, PASSWORD);
    await agent.post('/api/v1/auth/login/mfa').send({ code: totpCode(secret) }).expect(200);
    const monitor: Actor = { agent, csrf: (await agent.get('/api/v1/auth/session').expect(200)).body.csrfToken, user, organization };
    await accredit(t, monitor);
    const team: Team = { monitor, admin: asCaller(monitor), ...(await reviewTeam(t, monitor)) };
    const submitted = await submittedAssessment(t, await t.signUp(), monitor);
    const id = submitted.assessment.id;
    await openReview(t, team, id);
    await recordFindings(t, team, id);
    await onReview(t, team, asCaller(team.lead), 'post', `/${id}/decision`).send({ outcome: 'verified', publicSummary: 'Meets the code.' }).expect(201);
    review = { slug: organization.slug, team, submitted };
  });

  identityStep('she requires a second factor of every member, and a fresh one before each decision, on the settings page', async () => {
    await visit(rosa, `/app/${review.slug}/settings`, 'the organization settings');
    await rosa.page.getByRole('switch', { name: 'Require a second factor of every member' }).check();
    await rosa.page.getByRole('switch', { name: 'Ask for a fresh code before each decision' }).check();
    await click(rosa, 'button', 'Save', 'the organization settings');
    expect(await flash(rosa)).toBe('The organization details were saved.');
    await expect(rosa.page.getByRole('switch', { name: 'Require a second factor of every member' }).isChecked()).resolves.toBe(true);
    await expect(rosa.page.getByRole('switch', { name: 'Ask for a fresh code before each decision' }).isChecked()).resolves.toBe(true);
  });

  identityStep('the second reviewer, without a factor, is refused and told to set one up', async () => {
    sam = await newPerson('Sam Second', review.team.second.email);
    await visit(sam, '/signin', 'the sign-in page');
    await sam.page.getByLabel('Email address').fill(sam.email);
    await sam.page.getByLabel('Password').fill(MEMBER_PASSWORD);
    await click(sam, 'button', 'Sign in', 'the home page, signed in');
    const refused = await sam.page.goto(`/app/${review.slug}`);
    await arrived(sam, 'the refusal for want of a second factor');
    expect(refused?.status()).toBe(403);
    await expect(sam.page.getByText(/requires a second factor of its members/).count()).resolves.toBeGreaterThan(0);
    await expect(sam.page.getByText(/auth\.mfa_required/).count()).resolves.toBeGreaterThan(0);
  });

  identityStep('he adds a passkey, and the organization lets him in', async () => {
    await visit(sam, '/account', 'the account page, without a passkey');
    await sam.page.getByLabel('Name of the new passkey').fill('Sam’s laptop');
    await follow(sam, () => sam.page.getByRole('button', { name: 'Add a passkey' }).click(), 'the account page, with a passkey');
    const opened = await sam.page.goto(`/app/${review.slug}/reviews/${review.submitted.assessment.id}`);
    await arrived(sam, 'the review, waiting for approval');
    expect(opened?.status()).toBe(200);
  });

  identityStep('he approves the decision: the page asks for a fresh factor, he confirms with his passkey, and it carries on', async () => {
    await click(sam, 'button', 'Approve the decision', 'the review, asking for a fresh factor');
    await expect(sam.page.getByText('Confirm this act with your passkey').count()).resolves.toBe(1);
    // He has no authenticator app: no code is asked of him.
    await expect(sam.page.getByLabel(/Code from your authenticator app/).count()).resolves.toBe(0);
    expect(await registerEntryOfService(t, review.submitted.serviceId)).toBeUndefined();
    await click(sam, 'button', 'Confirm with a passkey', 'the review, approved');
    expect(await flash(sam)).toMatch(/^Approved: verification \S+, level \d, valid until .+, is in the public register\.$/);
    expect(await registerEntryOfService(t, review.submitted.serviceId)).toMatchObject({ status: 'verified' });
  });

  identityStep('a quarter of an hour later, she suspends the verification with a fresh code from her app', async () => {
    // As if 15 minutes had passed since her sign-in's second factor, and her last code.
    const [{ id }] = await t.sql<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [rosa.email]);
    await t.sql(`UPDATE sessions SET sess = (sess::jsonb || jsonb_build_object('secondFactorAt', 0))::json WHERE sess -> 'passport' ->> 'user' = $1`, [id]);
    await aMinuteLater(t, id);
    await visit(rosa, `/app/${review.slug}/reviews/${review.submitted.assessment.id}`, 'the review, verified');
    await rosa.page.getByLabel('Reason').first().fill('The provider stopped vetting its customers.');
    await click(rosa, 'button', 'Suspend the verification', 'the review, asking for a fresh code');
    expect(await registerEntryOfService(t, review.submitted.serviceId)).toMatchObject({ status: 'verified' });
    await rosa.page.getByLabel(/Code from your authenticator app/).fill(totpCode(secret, 1));
    await click(rosa, 'button', 'Suspend the verification', 'the review, suspended');
    expect(await flash(rosa)).toMatch(/is suspended; the register shows it with your reason\.$/);
    expect(await registerEntryOfService(t, review.submitted.serviceId)).toMatchObject({ status: 'suspended' });
  });

  /** The sign-in page's first step: the address and the password, then the page that asks for a factor. */
  async function signInWithPassword(who: Person, password: string, pageName: string): Promise<void> {
    await click(who, 'link', 'Sign in', 'the sign-in page');
    await who.page.getByLabel('Email address').fill(who.email);
    await who.page.getByLabel('Password').fill(password);
    await click(who, 'button', 'Sign in', pageName);
  }

  async function expectText(who: Person, text: string): Promise<void> {
    await expect(who.page.getByText(text, { exact: true }).count()).resolves.toBe(1);
  }
});
