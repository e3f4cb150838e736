import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { addMonths, DEFAULT_VALIDITY_MONTHS, todayUtc } from '../src/verification/validity';
import { AccessibilityAudit, freePort, goBy, launchChromium, newBrowserContext, step } from './support/browser';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

const PASSWORD = 'a long passphrase nobody guesses';
const CODE_FILE = join(__dirname, 'fixtures', 'codes', 'child-safe-services-1.0.0.yaml');
const CODE = { slug: 'child-safe-services', title: 'Child-Safe Online Services Code', version: '1.0.0' };

/**
 * Evidence files as the provider has them on disk: a PDF and two plain-text notes. The reporting
 * function is described in words, not shown in a screenshot: a code may refuse pictures as evidence.
 */
const PRIVACY_POLICY = {
  name: 'privacy-policy.pdf',
  mimeType: 'application/pdf',
  buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% Children\'s accounts are private by default.\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
};
const REPORT_BUTTON = {
  name: 'report-button.txt',
  mimeType: 'text/plain',
  buffer: Buffer.from('Report button: every message, profile and group has a "Report" entry in its menu, two taps from where it is seen; reports reach the safety team within a minute.\n'),
};
const AGE_ASSURANCE = {
  name: 'age-assurance.txt',
  mimeType: 'text/plain',
  buffer: Buffer.from('Age assurance: facial age estimation at sign-up, with a mean absolute error of 1.3 years; a parent confirms every account under 13.\n'),
};
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Someone at their own browser, signed in or not. */
interface Person {
  name: string;
  email: string;
  page: Page;
}

/**
 * The whole product in a real browser, as its people use it, through its pages only: the first
 * operator sets the platform up and publishes a code, a monitoring body is accredited, a provider
 * declares a child-directed service with evidence, two reviewers verify it over two rounds, and the
 * public finds the entry, checks its attestation and complains, which the monitoring body decides.
 * Links that arrive by e-mail are followed from the mail the application sent. Every page visited
 * is run through axe-core.
 */
describe('the whole journey in a browser', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let browser: Browser;
  let baseUrl: string;
  let setupLink: string;
  const audit = new AccessibilityAudit();
  /** The page last acted on: the one saved when a step fails. */
  let current: Page | undefined;
  /** Pages that answered a navigation with a server error, which no step may leave behind. */
  const serverErrors: string[] = [];
  /** The first step that failed: the later ones build on it and are not run. */
  let failedStep: string | undefined;

  const people = {} as Record<'operator' | 'monitor' | 'lead' | 'second' | 'owner' | 'colleague' | 'visitor', Person>;
  const monitoringBody = { name: 'Northern Monitoring Body', slug: '' };
  const provider = { name: 'Kidsafe Chat Ltd', slug: '' };
  const service = 'Kidsafe Chat';
  let reviewPath: string;
  let workspacePath: string;
  let entryPath: string;
  let verificationId: string;
  let complaint: { reference: string; secret: string };

  beforeAll(async () => {
    browser = await launchChromium();
    smtp = await startSmtpTestServer();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    // The first start prints the operator's setup link to the log, where the person installing Adhere reads it.
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    t = await createTestApp({ PUBLIC_URL: baseUrl, SMTP_URL: smtp.url, NOTIFICATION_POLL_SECONDS: '1', EXPIRY_JOB_SECONDS: '0' });
    const logged = warnings.mock.calls.map(([message]) => String(message)).find((message) => message.includes('/setup/'));
    warnings.mockRestore();
    setupLink = /(http\S+\/setup\/\S+)/.exec(logged ?? '')?.[1] ?? '';
    expect(setupLink).toMatch(new RegExp(`^${baseUrl}/setup/`));
    await t.app.listen(port, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  /** A step of the journey: a failure saves the page in test/artifacts/journey/ and stops the steps after it. */
  function journeyStep(name: string, action: () => Promise<void>): void {
    it(name, async () => {
      if (failedStep) throw new Error(`Not run: the step "${failedStep}" failed before it.`);
      try {
        await step('journey', name, () => current, action);
      } catch (error) {
        failedStep = name;
        throw error;
      }
    }, 60_000);
  }

  async function newPerson(name: string, email: string): Promise<Person> {
    const page = await (await newBrowserContext(browser, baseUrl)).newPage();
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.status() >= 500) serverErrors.push(`${response.status()} ${response.url()}`);
    });
    return { name, email, page };
  }

  /**
   * What follows every page a person reaches: no server error on the way, and no accessibility
   * violation. Each distinct page (by its name here) is checked the first time it is reached.
   */
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

  const click = (who: Person, role: 'link' | 'button', name: string | RegExp, pageName: string, within?: Locator) =>
    follow(who, () => (within ?? who.page).getByRole(role, { name, exact: typeof name === 'string' }).first().click(), pageName);

  const heading = async (who: Person) => (await who.page.getByRole('heading', { level: 1 }).innerText()).trim();
  const flash = async (who: Person) => (await who.page.locator('main > p.flash').innerText()).trim();
  const mainText = (who: Person) => who.page.locator('main').innerText();
  /** The value a description list gives for a term. */
  const fact = (scope: Page | Locator, term: string) => scope.locator('dt').filter({ hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');
  const card = (who: Person, key: string) => who.page.locator(`article#req-${key}`);
  const rowWith = (who: Person, text: string) => who.page.getByRole('row').filter({ hasText: text });

  /** Waits for the mail the application sends `to` with a subject like `subject`, and gives its text and link. */
  async function mailTo(to: string, subject: RegExp): Promise<{ text: string; link: string }> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const mail = smtp.received.find((item) => item.recipients.includes(to) && subject.test(item.headers.subject ?? ''));
      if (mail) {
        const link = [...mail.text.matchAll(/https?:\/\/\S+/g)].pop()?.[0];
        if (!link) throw new Error(`The mail "${mail.headers.subject}" to ${to} has no link:\n${mail.text}`);
        return { text: mail.text, link };
      }
      if (Date.now() > deadline) {
        const seen = smtp.received.map((item) => `${item.recipients.join(', ')}: ${item.headers.subject}`).join('\n  ');
        throw new Error(`No mail to ${to} with a subject like ${subject} arrived; the mails sent were:\n  ${seen || 'none'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * Signs up with the page's form: a person and the organization they found; then confirms the address
   * with the link mailed to it, on the link's page, as the acts ahead (submitting, deciding, inviting) need.
   */
  async function signUp(who: Person, organization: string, kind: 'provider' | 'monitoring body'): Promise<string> {
    await visit(who, '/', 'the home page, signed out');
    await click(who, 'button', 'Create an account', 'the sign-up form');
    expect(await heading(who)).toBe('Create your account');
    await who.page.getByLabel('Your name').fill(who.name);
    await who.page.getByLabel('Email address').fill(who.email);
    await who.page.getByLabel('Password').fill(PASSWORD);
    await who.page.getByLabel('Organization name').fill(organization);
    await who.page.getByRole('radio', { name: new RegExp(`^an? ${kind}`) }).check();
    await click(who, 'button', 'Create account', `${organization}'s overview`);
    expect(await flash(who)).toBe(`Welcome to Adhere. ${organization} is ready.`);
    expect(await heading(who)).toBe(organization);
    const slug = new URL(who.page.url()).pathname.split('/')[2];
    const unconfirmed = who.page.locator('#email-unverified');
    expect(await unconfirmed.innerText()).toContain(`Confirm your e-mail address: open the link we mailed to ${who.email}`);

    const mail = await mailTo(who.email, /^Confirm your e-mail address for Adhere$/);
    expect(mail.text).toContain(`An Adhere account was created with ${who.email}.`);
    await visit(who, mail.link, 'the e-mail confirmation page');
    expect(await heading(who)).toBe('Confirm your e-mail address');
    await click(who, 'button', 'Confirm my address', 'the account page, address confirmed');
    expect(await flash(who)).toBe(`${who.email} is confirmed as your address.`);
    expect(await unconfirmed.count()).toBe(0);
    await visit(who, `/app/${slug}`, `${organization}'s overview`);
    return slug;
  }

  /** An owner or admin invites someone, who accepts with the link the page shows and creates an account. */
  async function invite(inviter: Person, slug: string, invitee: Person, role: string, organization: string): Promise<void> {
    await visit(inviter, `/app/${slug}/members`, `${organization}'s members`);
    await click(inviter, 'button', 'Invite a colleague', 'the invitation form');
    await inviter.page.getByLabel('Their email address').fill(invitee.email);
    await inviter.page.getByLabel('Role').selectOption(role);
    await click(inviter, 'button', 'Create invitation', 'the created invitation');
    expect(await heading(inviter)).toBe('Invitation created');
    // The link is shown once, for the inviter to send on; the invitee opens it in their own browser.
    const link = (await inviter.page.locator('#invitation-link').innerText()).trim();
    expect(link).toMatch(new RegExp(`^${baseUrl}/invitations/`));

    await visit(invitee, link, 'an invitation');
    expect(await heading(invitee)).toBe(`Join ${organization}`);
    expect(await mainText(invitee)).toContain(`You were invited as ${role} of ${organization}`);
    await invitee.page.getByLabel('Your name').fill(invitee.name);
    await invitee.page.getByLabel('Password').fill(PASSWORD);
    await click(invitee, 'button', 'Accept invitation', `${organization}'s overview, as a new member`);
    expect(await flash(invitee)).toBe(`You joined ${organization}.`);

    await visit(inviter, `/app/${slug}/members`, `${organization}'s members`);
    const members = inviter.page.getByRole('table', { name: `People in ${organization}` });
    expect(await members.getByRole('combobox', { name: `Role of ${invitee.name}` }).inputValue()).toBe(role);
    expect(await rowWith(inviter, invitee.email).filter({ hasText: 'accepted' }).count()).toBe(1);
  }

  /** Uploads a file to the evidence library with the upload form, and checks the digest the page shows. */
  async function uploadEvidence(who: Person, title: string, file: typeof PRIVACY_POLICY): Promise<void> {
    await visit(who, `/app/${provider.slug}/evidence`, 'the evidence library');
    await click(who, 'button', 'Add evidence', 'the evidence form');
    const upload = who.page.getByRole('region', { name: 'Upload a file' });
    await upload.getByLabel('File', { exact: true }).setInputFiles(file);
    await upload.getByLabel('Title', { exact: true }).fill(title);
    // Where a code's evidence policy asks uploaders to confirm what a file holds, the form has a box for it.
    const confirmation = upload.locator('input[name="confirmation"]');
    if ((await confirmation.count()) > 0) await confirmation.check();
    await click(who, 'button', 'Upload', `the evidence ${title}`, upload);
    expect(await flash(who)).toBe(`${title} is in your library.`);
    expect(await heading(who)).toBe(title);
    const revision = who.page.getByRole('region', { name: 'Revisions' }).getByRole('row').filter({ hasText: file.name });
    expect(await revision.locator('code.hash').innerText()).toBe(sha256(file.buffer));
  }

  /** The owner signs the declaration on the submit page. */
  async function signAndSubmit(who: Person, expectedHeading: string): Promise<void> {
    await visit(who, workspacePath, 'the workspace, ready to submit');
    await click(who, 'button', 'Submit', 'the submit page');
    expect(await heading(who)).toBe(expectedHeading);
    expect(await who.page.getByRole('heading', { name: 'Ready to submit' }).isVisible()).toBe(true);
    await who.page.getByLabel('Full name').fill(who.name);
    await who.page.getByLabel('Title or function').fill('Chief Executive');
    await who.page.getByRole('checkbox', { name: /^I confirm that this declaration is true/ }).check();
    await click(who, 'button', 'Sign and submit', 'the submitted assessment');
    expect(await flash(who)).toBe(
      `Submitted to ${monitoringBody.name}, signed by ${who.name}. Answers can no longer change unless the monitoring body asks for changes.`,
    );
  }

  /** A reviewer records a verdict on one requirement with the form on its card. */
  async function recordFinding(who: Person, key: string, verdict: string, comment = ''): Promise<void> {
    await card(who, key).getByRole('radio', { name: verdict, exact: true }).check();
    if (comment) await card(who, key).getByLabel(/^Comment to the provider/).fill(comment);
    await click(who, 'button', `Record the finding on ${key}`, 'the review after a finding', card(who, key));
    expect(await flash(who)).toMatch(new RegExp(`^${key}: ${verdict.toLowerCase()}, recorded for round \\d\\.$`));
  }

  journeyStep('the first operator creates the account through the setup link', async () => {
    people.operator = await newPerson('Olga Operator', 'olga@adhere-platform.example.org');
    const { operator } = people;
    await visit(operator, setupLink, 'the operator setup form');
    expect(await heading(operator)).toBe('Create the operator account');
    await operator.page.getByLabel('Your name').fill(operator.name);
    await operator.page.getByLabel('Email address').fill(operator.email);
    await operator.page.getByLabel('Password').fill(PASSWORD);
    await click(operator, 'button', 'Create operator account', 'the home page of the operator');
    expect(await flash(operator)).toBe('The operator account is ready, and you are signed in with it.');
    expect(await operator.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Manage codes' }).isVisible()).toBe(true);

    // The link works once.
    const again = await operator.page.goto(setupLink);
    expect(again?.status()).toBe(404);
    await arrived(operator, 'a used setup link');
    expect(await mainText(operator)).toContain('This setup link is not valid: it was used, it expired, or an operator already exists.');
  });

  journeyStep('a monitoring body signs up as an organization', async () => {
    people.monitor = await newPerson('Maja Monitor', 'maja@northern-monitoring.example.org');
    monitoringBody.slug = await signUp(people.monitor, monitoringBody.name, 'monitoring body');
    await click(people.monitor, 'link', 'Accreditations', 'the accreditations of a monitoring body', people.monitor.page.getByRole('navigation', { name: 'Organization' }));
    expect(await mainText(people.monitor)).toContain(`${monitoringBody.name} is not accredited for any code yet.`);
  });

  journeyStep('the operator checks, imports and publishes a code of conduct', async () => {
    const { operator } = people;
    await visit(operator, '/operator/codes', 'the operator’s codes');
    await click(operator, 'button', 'Import a code version', 'the import form');
    await operator.page.getByLabel('YAML file').setInputFiles(CODE_FILE);
    await click(operator, 'button', 'Check', 'the import form with a checked file');
    expect(await operator.page.getByRole('heading', { name: 'The file is valid' }).isVisible()).toBe(true);
    expect(await mainText(operator)).toContain(`${CODE.title} version ${CODE.version} (${CODE.slug}): 3 levels, 1 profile questions, 2 sections, 5 requirements.`);
    // The checked file stays in the form, so importing it needs no second upload.
    expect(await operator.page.getByLabel('Or paste the YAML').inputValue()).toBe(readFileSync(CODE_FILE, 'utf8'));

    await click(operator, 'button', 'Import as a draft', 'a draft code version');
    expect(await flash(operator)).toBe(`Imported ${CODE.title} ${CODE.version} as a draft.`);
    expect(await heading(operator)).toBe(CODE.title);
    expect(await mainText(operator)).toContain('This is a draft: only the operator sees it until it is published.');

    await click(operator, 'button', `Publish ${CODE.version}`, 'a published code version');
    expect(await flash(operator)).toBe(`Version ${CODE.version} is published: it can no longer change.`);
    expect(await operator.page.locator('hgroup p .status').innerText()).toBe('published');
  });

  journeyStep('the operator accredits the monitoring body for the code', async () => {
    const { operator } = people;
    await click(operator, 'link', 'Accreditations', 'the operator’s accreditations of a code', operator.page.getByRole('article', { name: 'Operator actions' }));
    expect(await mainText(operator)).toContain('No monitoring body has been accredited for this code yet.');
    const from = todayUtc();
    const until = addMonths(from, 36);
    await operator.page.getByLabel('Monitoring body').selectOption({ label: monitoringBody.name });
    await operator.page.getByLabel('From (first day)').fill(until);
    await operator.page.getByLabel('Until (last day)').fill(from);
    await click(operator, 'button', 'Accredit', 'the accreditation form with a mistake');
    expect(await operator.page.getByLabel('Until (last day)').getAttribute('aria-invalid')).toBe('true');
    expect(await operator.page.getByLabel('From (first day)').inputValue()).toBe(until);
    expect(await operator.page.getByLabel('Monitoring body').inputValue()).toBe(monitoringBody.slug);
    await operator.page.getByLabel('From (first day)').fill(from);
    await operator.page.getByLabel('Until (last day)').fill(until);
    await click(operator, 'button', 'Accredit', 'the accreditations with one granted');
    expect(await flash(operator)).toBe(`${monitoringBody.name} is accredited for this code from ${from} to ${until}.`);
    const row = rowWith(operator, monitoringBody.name);
    expect(await row.getByRole('cell').nth(3).innerText()).toMatch(/^current/);

    await visit(people.monitor, `/app/${monitoringBody.slug}/accreditations`, 'the accreditations of a monitoring body');
    expect(await rowWith(people.monitor, CODE.title).getByRole('cell').nth(3).innerText()).toMatch(/^current/);
  });

  journeyStep('the monitoring body invites two reviewers, who accept', async () => {
    people.lead = await newPerson('Rui Reviewer', 'rui@northern-monitoring.example.org');
    people.second = await newPerson('Sara Second', 'sara@northern-monitoring.example.org');
    await invite(people.monitor, monitoringBody.slug, people.lead, 'reviewer', monitoringBody.name);
    await invite(people.monitor, monitoringBody.slug, people.second, 'reviewer', monitoringBody.name);
  });

  journeyStep('a provider signs up and invites a colleague, who accepts', async () => {
    people.owner = await newPerson('Olivia Owner', 'olivia@kidsafe.example.org');
    people.colleague = await newPerson('Eddie Editor', 'eddie@kidsafe.example.org');
    provider.slug = await signUp(people.owner, provider.name, 'provider');
    await invite(people.owner, provider.slug, people.colleague, 'editor', provider.name);
  });

  journeyStep('the colleague registers a service directed at children', async () => {
    const { colleague } = people;
    await visit(colleague, `/app/${provider.slug}/services`, 'the services');
    expect(await mainText(colleague)).toContain('No service has been registered yet.');
    await click(colleague, 'button', 'Register a service', 'the service form');
    await colleague.page.getByLabel('Name', { exact: true }).fill(service);
    await colleague.page.getByLabel('Description').fill('A chat app for children aged 8 to 13.');
    await colleague.page.getByLabel('Web address').fill('chat.kidsafe.example.org');
    const forChildren = colleague.page.getByRole('group', { name: 'Is the service directed at children?' }).getByRole('radio', { name: 'Yes' });
    await forChildren.check();
    // A mistake in one field comes back with its message, and nothing else typed or chosen is lost.
    await click(colleague, 'button', 'Save', 'the service form with a mistake');
    expect(await colleague.page.getByRole('textbox', { name: /^Web address/ }).getAttribute('aria-invalid')).toBe('true');
    expect(await colleague.page.getByLabel('Name', { exact: true }).inputValue()).toBe(service);
    expect(await colleague.page.getByLabel('Description').inputValue()).toBe('A chat app for children aged 8 to 13.');
    expect(await forChildren.isChecked()).toBe(true);
    await colleague.page.getByRole('textbox', { name: /^Web address/ }).fill('https://chat.kidsafe.example.org');
    await click(colleague, 'button', 'Save', 'a service and what applies to it');
    expect(await flash(colleague)).toBe(`${service} is registered. Below: the requirements that apply to it.`);
    expect(await heading(colleague)).toBe(service);
    expect(await fact(colleague.page, 'Is the service directed at children\\?').first().innerText()).toBe('Yes');
    const applicability = colleague.page.getByRole('region', { name: `${CODE.title} ${CODE.version}: 4 of 5 requirements apply` });
    expect(await applicability.isVisible()).toBe(true);
    const excluded = applicability.getByRole('listitem').filter({ hasText: 'AGE-03' });
    expect(await excluded.innerText()).toContain('It applies only when');
  });

  journeyStep('the colleague uploads evidence files to the library', async () => {
    const { colleague } = people;
    await visit(colleague, `/app/${provider.slug}/evidence/new`, 'the evidence form');
    const upload = colleague.page.getByRole('region', { name: 'Upload a file' });
    await upload.getByLabel('File', { exact: true }).setInputFiles(PRIVACY_POLICY);
    await upload.getByLabel('Description').fill('Our policy on the accounts of children.');
    await click(colleague, 'button', 'Upload', 'the evidence form with a mistake', upload);
    // The message is part of the field's label, so the field is found by how its name starts.
    const title = colleague.page.getByRole('region', { name: 'Upload a file' }).getByRole('textbox', { name: /^Title/ });
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    expect(await colleague.page.locator(`#${await title.getAttribute('aria-describedby')}`).innerText()).toBe('title must not be empty');
    expect(await colleague.page.getByRole('region', { name: 'Upload a file' }).getByLabel('Description').inputValue()).toBe('Our policy on the accounts of children.');
    // The other forms on the page were not sent, and show no mistake.
    for (const other of ['Record a link', 'Write a text']) {
      expect(await colleague.page.getByRole('region', { name: other }).locator('[aria-invalid="true"]').count()).toBe(0);
    }

    await uploadEvidence(people.colleague, 'Child privacy policy', PRIVACY_POLICY);
    await uploadEvidence(people.colleague, 'Report button', REPORT_BUTTON);
    await visit(people.colleague, `/app/${provider.slug}/evidence`, 'the evidence library');
    expect(await people.colleague.page.getByRole('table').getByRole('row').count()).toBe(3);
  });

  journeyStep('the colleague starts the assessment and answers every requirement, one piece of evidence backing two', async () => {
    const { colleague } = people;
    await visit(colleague, `/app/${provider.slug}/assessments`, 'the assessments');
    await click(colleague, 'button', 'Start an assessment', 'the choice of a code version');
    await click(colleague, 'link', `${CODE.title} ${CODE.version}`, 'the form that starts an assessment');
    await colleague.page.getByLabel('Service').selectOption({ label: service });
    await colleague.page.getByLabel('Monitoring body').selectOption({ label: monitoringBody.name });
    await colleague.page.getByRole('radio', { name: /^2\. Evidenced/ }).check();
    await click(colleague, 'button', 'Start the assessment', 'the assessment workspace');
    expect(await flash(colleague)).toBe(`The assessment of ${service} is started: 4 requirements apply.`);
    workspacePath = new URL(colleague.page.url()).pathname;
    expect(await colleague.page.locator('hgroup p').innerText()).toContain(`${CODE.title} ${CODE.version} · target level 2 (Evidenced) · monitoring body ${monitoringBody.name} · draft`);

    await card(colleague, 'AGE-01').getByRole('combobox', { name: /^Claim/ }).selectOption('met');
    await card(colleague, 'AGE-01').getByRole('textbox', { name: /^Statement/ }).fill('Every account of a child starts private: no profile search, no messages from strangers.');
    await card(colleague, 'AGE-01').getByLabel('Add evidence from your library').selectOption({ label: 'Child privacy policy' });
    await card(colleague, 'AGE-02').getByRole('combobox', { name: /^Claim/ }).selectOption('partially_met');
    await card(colleague, 'AGE-02').getByRole('textbox', { name: /^Statement/ }).fill('Users state their age at sign-up; the privacy policy describes it.');
    await card(colleague, 'AGE-02').getByLabel('Add evidence from your library').selectOption({ label: 'Child privacy policy' });
    await click(colleague, 'button', 'Save this section', 'the workspace after saving a section');
    expect(await flash(colleague)).toBe('Saved AGE-01, AGE-02.');
    for (const key of ['AGE-01', 'AGE-02']) {
      expect(await card(colleague, key).getByRole('checkbox', { name: /Child privacy policy/ }).isChecked()).toBe(true);
    }

    await click(colleague, 'link', /^REP · Reporting harm/, 'the workspace at its second section', colleague.page.getByRole('navigation', { name: 'Sections' }));
    await card(colleague, 'REP-01').getByRole('combobox', { name: /^Claim/ }).selectOption('met');
    await card(colleague, 'REP-01').getByRole('textbox', { name: /^Statement/ }).fill('A report button sits beside every message and profile.');
    await card(colleague, 'REP-01').getByLabel('Add evidence from your library').selectOption({ label: 'Report button' });
    await card(colleague, 'REP-02').getByRole('combobox', { name: /^Claim/ }).selectOption('met');
    await card(colleague, 'REP-02').getByRole('textbox', { name: /^Statement/ }).fill('We publish our transparency report every March.');
    await click(colleague, 'button', 'Save this section', 'the workspace after saving a section');
    expect(await flash(colleague)).toBe('Saved REP-01, REP-02.');
    const progress = await colleague.page.locator('.progress-summary').innerText();
    expect(progress).toContain('Answered: 4 of 4 (100 %)');
    expect(progress).toContain('Evidence where required: 3 of 3 (100 %)');
    expect(progress).toContain('Claims: 3 met · 1 partially met · 0 not met · 0 not applicable');

    // The reused evidence says where it is used.
    await visit(colleague, `/app/${provider.slug}/evidence`, 'the evidence library');
    await click(colleague, 'link', 'Child privacy policy', 'the evidence Child privacy policy');
    const uses = colleague.page.getByRole('region', { name: 'Used by' }).getByRole('listitem');
    expect(await uses.allInnerTexts()).toEqual(['AGE-01', 'AGE-02'].map((key) => `${key} in ${service} — ${CODE.title} ${CODE.version} (draft)`));
  });

  journeyStep('only the owner may sign, and signs and submits the declaration', async () => {
    await visit(people.colleague, `${workspacePath}/submit`, 'the submit page of an editor');
    expect(await mainText(people.colleague)).toContain(`Only an owner of ${provider.name} signs and submits a declaration.`);

    const { owner } = people;
    await visit(owner, workspacePath, 'the assessment workspace');
    await click(owner, 'button', 'Submit', 'the submit page');
    // A declaration sent without its confirmation comes back with what was typed and a message.
    await owner.page.getByLabel('Full name').fill(owner.name);
    await owner.page.getByLabel('Title or function').fill('Chief Executive');
    await click(owner, 'button', 'Sign and submit', 'the submit page with a missing confirmation');
    expect(await owner.page.getByLabel('Full name').inputValue()).toBe(owner.name);
    expect(await owner.page.getByLabel('Title or function').inputValue()).toBe('Chief Executive');
    expect(await owner.page.locator('#signatory-confirm-error').innerText()).not.toBe('');

    await signAndSubmit(owner, 'Submit the declaration');
    expect(await owner.page.locator('hgroup p .status').innerText()).toBe('submitted');
  });

  journeyStep('the monitoring body reads the submission mail and assigns the two reviewers', async () => {
    const { monitor } = people;
    const mail = await mailTo(monitor.email, /^Submitted for verification: Kidsafe Chat/);
    expect(mail.text).toContain(`${provider.name} has submitted its declaration of adherence for ${service}`);
    await visit(monitor, mail.link, 'a review before assignment');
    reviewPath = new URL(monitor.page.url()).pathname;
    expect(await heading(monitor)).toBe(service);
    expect(await mainText(monitor)).toContain('No reviewers are assigned yet.');

    await visit(monitor, `/app/${monitoringBody.slug}/reviews`, 'the review queue');
    expect(await rowWith(monitor, service).innerText()).toContain('not assigned');

    await visit(monitor, reviewPath, 'a review before assignment');
    await monitor.page.getByLabel('Lead reviewer').selectOption({ label: `${people.lead.name} (reviewer)` });
    await monitor.page.getByLabel('Second reviewer').selectOption({ label: `${people.second.name} (reviewer)` });
    await click(monitor, 'button', 'Assign', 'a review with its reviewers assigned');
    expect(await flash(monitor)).toBe(
      `${people.lead.name} leads the review and ${people.second.name} approves its decision. Each declares any conflict of interest before opening the submission.`,
    );
    expect(await mainText(monitor)).toContain(`Lead reviewer: ${people.lead.name}`);
  });

  journeyStep('both reviewers declare no conflict of interest before the submission opens to them', async () => {
    for (const reviewer of [people.lead, people.second]) {
      const mail = await mailTo(reviewer.email, /^You are assigned to review/);
      await visit(reviewer, mail.link, 'a review before the declaration');
      expect(await reviewer.page.getByRole('heading', { name: 'Your declaration of interest' }).isVisible()).toBe(true);
      expect(await reviewer.page.locator('article.requirement-card').count()).toBe(0);
      await reviewer.page.getByRole('radio', { name: 'No, I have no conflict of interest' }).check();
      await reviewer.page.getByLabel('Statement, in your words').fill(`I, ${reviewer.name}, have no interest in ${provider.name}.`);
      await click(reviewer, 'button', 'Declare', 'an opened review');
      expect(await flash(reviewer)).toBe('You declared no conflict of interest; the submission is open to you.');
      expect(await reviewer.page.locator('article.requirement-card').count()).toBe(4);
    }
  });

  journeyStep('the lead reviewer opens the evidence, records findings and requests changes', async () => {
    const { lead } = people;
    const [download] = await Promise.all([lead.page.waitForEvent('download'), card(lead, 'AGE-01').getByRole('link', { name: 'Child privacy policy' }).click()]);
    expect(sha256(readFileSync(await download.path()))).toBe(sha256(PRIVACY_POLICY.buffer));

    await recordFinding(lead, 'AGE-01', 'Accepted');
    await recordFinding(lead, 'AGE-02', 'Changes requested', 'Describe the age assurance method and its error rates.');
    await recordFinding(lead, 'REP-01', 'Accepted');
    await recordFinding(lead, 'REP-02', 'Accepted');
    expect(await card(lead, 'AGE-02').innerText()).toContain('not sent to the provider yet');
    await click(lead, 'button', 'Request changes from the provider', 'a review waiting for the provider');
    expect(await flash(lead)).toBe('The findings went to the provider, and the assessment waits for its changes. It comes back to this queue when the provider submits again.');
    expect(await lead.page.locator('hgroup p .status').innerText()).toBe('changes requested');
  });

  journeyStep('the provider answers the finding with new evidence and resubmits', async () => {
    const { colleague, owner } = people;
    const mail = await mailTo(colleague.email, /^Changes requested: Kidsafe Chat/);
    expect(mail.text).toContain('AGE-02');
    await visit(colleague, mail.link, 'the workspace with changes requested');
    const asked = colleague.page.getByRole('region', { name: 'The monitoring body asks for changes' });
    expect(await asked.getByRole('link').allInnerTexts()).toEqual(['AGE-02']);
    expect(await card(colleague, 'AGE-02').innerText()).toContain("The monitoring body's finding, round 1: changes requested: Describe the age assurance method and its error rates.");

    await uploadEvidence(colleague, 'Age assurance method', AGE_ASSURANCE);
    await visit(colleague, `${workspacePath}?section=AGE`, 'the workspace with changes requested');
    await card(colleague, 'AGE-02').getByRole('combobox', { name: /^Claim/ }).selectOption('met');
    await card(colleague, 'AGE-02').getByRole('textbox', { name: /^Statement/ }).fill('Facial age estimation at sign-up; a parent confirms every account under 13.');
    await card(colleague, 'AGE-02').getByLabel('Add evidence from your library').selectOption({ label: 'Age assurance method' });
    await click(colleague, 'button', 'Save this section', 'the workspace after saving a section');
    expect(await flash(colleague)).toBe('Saved AGE-02.');

    await signAndSubmit(owner, 'Submit again for round 2');
    expect(await owner.page.locator('hgroup p .status').innerText()).toBe('submitted');
  });

  journeyStep('the lead accepts the change and proposes verification; only the second reviewer approves it', async () => {
    const { lead, second, monitor } = people;
    await mailTo(monitor.email, /^Resubmitted for verification: Kidsafe Chat/);
    await visit(lead, `/app/${monitoringBody.slug}/reviews`, 'the review queue');
    await lead.page.getByRole('checkbox', { name: 'Only those I review' }).check();
    await click(lead, 'button', 'Show', 'the review queue, filtered');
    expect(await rowWith(lead, service).innerText()).toContain(`${lead.name} / ${second.name} (you)`);
    await click(lead, 'link', service, 'a resubmitted review');
    expect(await lead.page.getByRole('heading', { name: 'Round 2' }).isVisible()).toBe(true);
    const changed = await card(lead, 'AGE-02').innerText();
    expect(changed).toContain('Since round 1');
    expect(changed).toContain('Evidence added: Age assurance method');
    expect(await card(lead, 'AGE-01').innerText()).toContain('Unchanged since round 1.');

    await recordFinding(lead, 'AGE-02', 'Accepted');
    await lead.page.getByLabel(/^What the public may know about Age-appropriate design/).fill('Children’s accounts are private by default, and ages are estimated at sign-up.');
    await click(lead, 'button', 'Save the summary of AGE', 'a review with a public summary');
    expect(await flash(lead)).toBe('The public summary of AGE is saved; the register shows it once the assessment is verified.');
    expect(await lead.page.locator('#decision').innerText()).toContain('Earned: level 2 (Evidenced)');

    await lead.page.getByRole('group', { name: 'Outcome' }).getByRole('radio', { name: 'Verified' }).check();
    await lead.page.getByLabel('Level granted').selectOption({ label: 'Level 2 · Evidenced' });
    await lead.page.getByRole('textbox', { name: /^Public summary \(the register shows it/ }).fill('Kidsafe Chat keeps children’s accounts private and reports harm transparently.');
    await click(lead, 'button', 'Propose the decision', 'a review with a proposed decision');
    const validUntil = addMonths(todayUtc(), DEFAULT_VALIDITY_MONTHS);
    expect(await flash(lead)).toBe(`You proposed verification at level 2 until ${validUntil}. It is final once the second reviewer approves it.`);
    const waiting = lead.page.getByRole('article').filter({ has: lead.page.getByRole('heading', { name: 'Waiting for approval' }) });
    expect(await waiting.innerText()).toContain(`by ${lead.name}`);
    // Four eyes: the proposer is offered no approval.
    expect(await lead.page.getByRole('button', { name: 'Approve the decision' }).count()).toBe(0);

    await visit(second, reviewPath, 'a review waiting for approval');
    await click(second, 'button', 'Approve the decision', 'a verified review');
    const approved = await flash(second);
    const match = new RegExp(`^Approved: verification (\\S+), level 2, valid until ${validUntil}, is in the public register\\.$`).exec(approved);
    expect(match).not.toBeNull();
    verificationId = match![1];
    const inRegister = second.page.getByRole('region', { name: 'In the public register' });
    expect(await fact(inRegister, 'Verification').innerText()).toBe(verificationId);
    expect(await fact(inRegister, 'Status').innerText()).toBe('verified');
  });

  journeyStep('the provider reads the decision', async () => {
    const { owner } = people;
    const mail = await mailTo(owner.email, /^Decision: Kidsafe Chat is verified/);
    await visit(owner, mail.link, 'a verified assessment');
    expect(await owner.page.getByRole('heading', { name: `Verification ${verificationId}` }).isVisible()).toBe(true);
    expect(await owner.page.locator('.verification-status').innerText()).toContain('verified at level 2');

    await click(owner, 'button', 'Printable report', 'the printable declaration');
    expect(await heading(owner)).toBe('Declaration of adherence');
    expect(await fact(owner.page, 'Signed by').innerText()).toBe(`${owner.name}, Chief Executive (round 2)`);
    await click(owner, 'link', 'Audit log', 'the audit log', owner.page.getByRole('navigation', { name: 'Organization' }));
    expect(await owner.page.locator('main p.flash').innerText()).toMatch(/^The chain of \d+ events is intact: no event has been changed or removed\.$/);
  });

  journeyStep('the monitoring body reports its decisions, and the operator sees the mails that went out', async () => {
    const { monitor, operator } = people;
    await visit(monitor, `/app/${monitoringBody.slug}`, `${monitoringBody.name}'s overview`);
    await click(monitor, 'link', 'Reports', 'the reports', monitor.page.getByRole('navigation', { name: 'Organization' }));
    const decisions = (breakdown: string) => monitor.page.getByRole('row').filter({ has: monitor.page.getByRole('rowheader', { name: 'Decisions' }) }).filter({ hasText: breakdown });
    expect(await decisions('verified at level 2').getByRole('cell').last().innerText()).toBe('1');
    expect(await monitor.page.getByRole('row', { name: /^Submissions resubmissions/ }).getByRole('cell').last().innerText()).toBe('1');

    await click(operator, 'link', 'Notifications', 'the operator’s notifications', operator.page.getByRole('navigation', { name: 'Main' }));
    const decided = operator.page.getByRole('article').filter({ hasText: `Decision: ${service} is verified` });
    expect(await decided.locator('header .status').innerText()).toBe('sent');
    expect(await decided.getByRole('row').filter({ hasText: people.owner.email }).getByRole('cell').nth(1).innerText()).toBe('sent');
  });

  journeyStep('the public finds the entry in the register by searching, and reads it', async () => {
    people.visitor = await newPerson('A visitor', 'concerned.parent@example.org');
    const { visitor } = people;
    await visit(visitor, '/codes', 'the codes of conduct');
    await click(visitor, 'link', CODE.title, 'a published code');
    expect(await visitor.page.getByRole('region', { name: 'Accredited monitoring bodies' }).innerText()).toContain(monitoringBody.name);

    await visit(visitor, '/register', 'the register');
    await visitor.page.getByRole('searchbox', { name: 'Search' }).fill('Kidsafe');
    await click(visitor, 'button', 'Search', 'a register search result');
    expect(await mainText(visitor)).toContain('Showing 1–1 of 1 entry.');
    const results = visitor.page.getByRole('table').getByRole('row').filter({ has: visitor.page.getByRole('cell') });
    expect(await results.count()).toBe(1);
    expect(await results.first().innerText()).toContain(provider.name);
    await click(visitor, 'link', service, 'a register entry', results.first());
    entryPath = new URL(visitor.page.url()).pathname;

    expect(await heading(visitor)).toBe(service);
    expect(await visitor.page.getByRole('heading', { name: 'Status: verified' }).isVisible()).toBe(true);
    expect(await fact(visitor.page, 'Provider').innerText()).toBe(provider.name);
    expect(await fact(visitor.page, 'Monitoring body').innerText()).toBe(monitoringBody.name);
    expect(await fact(visitor.page, 'Verification ID').innerText()).toBe(verificationId);
    expect(await fact(visitor.page, 'Level').innerText()).toBe('2');
    const found = visitor.page.getByRole('region', { name: 'What the monitoring body found' });
    expect(await found.innerText()).toContain('Kidsafe Chat keeps children’s accounts private and reports harm transparently.');
    expect(await found.innerText()).toContain('Children’s accounts are private by default, and ages are estimated at sign-up.');
    const manifest = visitor.page.getByRole('region', { name: 'Evidence manifest' });
    expect(await manifest.innerText()).toContain('The decision rests on 3 pieces of evidence.');
    const digests = await manifest.locator('tbody code.hash').allInnerTexts();
    expect(digests.sort()).toEqual([PRIVACY_POLICY, REPORT_BUTTON, AGE_ASSURANCE].map((file) => sha256(file.buffer)).sort());
    // Confidential evidence is never named in public.
    expect(await manifest.innerText()).not.toContain('Child privacy policy');
  });

  journeyStep('the public checks the entry’s attestation with the checker', async () => {
    const { visitor } = people;
    const [download] = await Promise.all([visitor.page.waitForEvent('download'), visitor.page.getByRole('link', { name: 'Signed attestation' }).click()]);
    const attestation = readFileSync(await download.path(), 'utf8').trim();
    expect(attestation.split('.')).toHaveLength(3);

    await click(visitor, 'link', 'the checker', 'the attestation checker');
    await visitor.page.getByRole('textbox', { name: /^Attestation/ }).fill(attestation);
    await click(visitor, 'button', 'Verify', 'the attestation checker’s result');
    const result = visitor.page.getByRole('region', { name: 'Result', exact: true });
    expect((await result.getByRole('status').innerText()).trim()).toBe('The signature is valid, and the register still shows what the attestation says.');
    expect(await result.innerText()).toContain(verificationId);
  });

  journeyStep('the public files a complaint, with an e-mail address for replies', async () => {
    const { visitor } = people;
    await visit(visitor, entryPath, 'a register entry');
    await click(visitor, 'link', 'Complain about this entry', 'the complaint form');
    expect(await heading(visitor)).toBe('Complain about this entry');
    await visitor.page.getByRole('textbox', { name: /^Your complaint/ }).fill('My daughter’s new account could be found by strangers in the search.');
    await visitor.page.getByLabel('Your e-mail address (optional)').fill(visitor.email);
    await click(visitor, 'button', 'Send the complaint', 'the complaint form with a mistake');
    expect(await visitor.page.getByLabel('What is the complaint about?').getAttribute('aria-invalid')).toBe('true');
    expect(await visitor.page.getByRole('textbox', { name: /^Your complaint/ }).inputValue()).toBe('My daughter’s new account could be found by strangers in the search.');
    expect(await visitor.page.getByLabel('Your e-mail address (optional)').inputValue()).toBe(visitor.email);
    await visitor.page.getByLabel('What is the complaint about?').selectOption({ label: 'The service does not keep to the code' });
    await click(visitor, 'button', 'Send the complaint', 'the complaint confirmation');
    expect(await heading(visitor)).toBe('Complaint received');
    complaint = { reference: (await fact(visitor.page, 'Reference').innerText()).trim(), secret: (await fact(visitor.page, 'Secret').innerText()).trim() };
    expect(complaint.reference).toMatch(/^C-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await mainText(visitor)).toContain('We will also write to the e-mail address you gave whenever the status of your complaint changes.');

    await visit(visitor, entryPath, 'a register entry');
    expect(await visitor.page.getByRole('region', { name: 'Complaints' }).innerText()).toContain('Received, not yet investigated: 1');
  });

  journeyStep('the monitoring body investigates the complaint and dismisses it with a public outcome', async () => {
    const { monitor, visitor } = people;
    const mail = await mailTo(monitor.email, new RegExp(`^Complaint ${complaint.reference} about Kidsafe Chat`));
    await visit(monitor, mail.link, 'a complaint');
    expect(await heading(monitor)).toBe(`Complaint ${complaint.reference}`);
    expect(await mainText(monitor)).toContain('My daughter’s new account could be found by strangers in the search.');

    await monitor.page.getByLabel('New status').selectOption({ label: 'Under investigation' });
    await click(monitor, 'button', 'Save the status', 'a complaint under investigation');
    expect(await flash(monitor)).toBe(`Complaint ${complaint.reference} is under investigation. The complainant is told by e-mail.`);

    await visit(visitor, entryPath, 'a register entry');
    expect(await visitor.page.getByRole('region', { name: 'Complaints' }).innerText()).toContain('Under investigation: 1');

    await visit(monitor, `/app/${monitoringBody.slug}/complaints`, 'the complaints');
    expect(await rowWith(monitor, complaint.reference).innerText()).toContain('Under investigation');
    await click(monitor, 'link', complaint.reference, 'a complaint under investigation');
    await monitor.page.getByLabel('New status').selectOption({ label: 'Dismissed' });
    await monitor.page.getByLabel(/^Public outcome/).fill('Search hides accounts of children by default; the account had been made public by its holder.');
    await click(monitor, 'button', 'Save the status', 'a dismissed complaint');
    expect(await flash(monitor)).toBe(`Complaint ${complaint.reference} is dismissed. The complainant is told by e-mail.`);
    expect(await monitor.page.getByRole('region', { name: 'Public outcome' }).innerText()).toContain('Search hides accounts of children by default');
  });

  journeyStep('the complainant follows the complaint from the mail, and the public sees its outcome and the counts', async () => {
    const { visitor } = people;
    const mail = await mailTo(visitor.email, new RegExp(`^Your complaint ${complaint.reference}: dismissed`));
    await visit(visitor, mail.link, 'the follow form');
    await visitor.page.getByLabel('Reference').fill(complaint.reference);
    await visitor.page.getByLabel('Secret').fill(complaint.secret);
    await click(visitor, 'button', 'Show the complaint', 'a followed complaint');
    const followed = visitor.page.getByRole('article', { name: `Complaint ${complaint.reference}` });
    expect(await followed.locator('header p').innerText()).toMatch(/^Dismissed · The service does not keep to the code · about Kidsafe Chat Ltd's Kidsafe Chat/);
    expect(await followed.innerText()).toContain('Search hides accounts of children by default');

    await visit(visitor, entryPath, 'a register entry');
    const complaints = visitor.page.getByRole('region', { name: 'Complaints' });
    expect(await complaints.getByRole('listitem').allInnerTexts()).toEqual([
      'Received, not yet investigated: 0',
      'Under investigation: 0',
      'Upheld: 0',
      'Dismissed: 1',
    ]);
    expect(await complaints.innerText()).toContain('Search hides accounts of children by default');
    expect(await visitor.page.getByRole('heading', { name: 'Status: verified' }).isVisible()).toBe(true);

    await visit(visitor, '/register/statistics', 'the register statistics');
    const byOutcome = visitor.page.getByRole('region', { name: 'Complaints by outcome' });
    expect(await byOutcome.getByRole('row', { name: /^Dismissed/ }).getByRole('cell').nth(1).innerText()).toBe('1');
  });

  it('ran axe on every page the journey visited', () => {
    expect(failedStep).toBeUndefined();
    expect(audit.checked.length).toBeGreaterThanOrEqual(25);
  });
});
