import type { Browser, CDPSession, Page } from 'playwright-core';
import { AccessibilityAudit, freePort, goBy, launchChromium, newBrowserContext, step } from './support/browser';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

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
 * Identity in a real browser, through the pages only: a reviewer of a monitoring body signs up, enrols a
 * passkey on the account page with the browser's platform authenticator (Chromium's virtual one, which
 * verifies the user as a fingerprint reader would), signs out, and signs in again with the passkey
 * alone. Each step builds on the one before; later identity steps join the list in the same way.
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

  beforeAll(async () => {
    browser = await launchChromium();
    smtp = await startSmtpTestServer();
    const port = await freePort();
    // `localhost`, not an IP address: a passkey's relying party id must be a domain name.
    baseUrl = `http://localhost:${port}`;
    t = await createTestApp({ PUBLIC_URL: baseUrl, SMTP_URL: smtp.url, NOTIFICATION_POLL_SECONDS: '1', EXPIRY_JOB_SECONDS: '0' });
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

  async function expectText(who: Person, text: string): Promise<void> {
    await expect(who.page.getByText(text, { exact: true }).count()).resolves.toBe(1);
  }
});
