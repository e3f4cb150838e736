import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from './bench/server';
import { OPERATOR_ENV } from './support/assessment-fixtures';
import { AccessibilityAudit, goBy as goByOn, launchChromium, newBrowserContext, step } from './support/browser';
import { seedEntries } from './support/register-fixtures';
import { monitoringBody, verifiedAssessment } from './support/review-fixtures';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The public register in a real browser, as a visitor without an account uses it: searching, reading
 * an entry, checking its attestation, filing a complaint and following it. Every page is also run
 * through axe-core, and none may have an accessibility violation.
 */
describe('the public register in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let real: { id: string; verificationId: string; service: string; validUntil: string };
  const audit = new AccessibilityAudit();

  beforeAll(async () => {
    browser = await launchChromium();
    // The browser's forms come from the address the service says is its own (PUBLIC_URL); any other is another site.
    const port = await freePort();
    t = await createTestApp({ ...OPERATOR_ENV, PUBLIC_URL: `http://127.0.0.1:${port}`, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    await t.app.listen(port, '127.0.0.1');

    const provider = await t.signUp({ organization: 'Guardian Scan Ltd' });
    const team = await monitoringBody(t, 'Northern Monitoring');
    const verified = await verifiedAssessment(t, provider, team, { publicSummary: 'The tool limits scanning to known hashes.' });
    const [row] = await t.sql<{ service_name: string; valid_until: string }>(`SELECT service_name, valid_until::text FROM register_entries WHERE id = $1`, [verified.entry.id]);
    real = { id: verified.entry.id, verificationId: verified.verificationId, service: row.service_name, validUntil: row.valid_until };
    await seedEntries(t, real.id, [
      { provider: 'Aurora Safety GmbH', country: 'DE', service: 'Aurora Hash Matcher', level: 2 },
      { provider: 'Beacon Trust BV', country: 'NL', service: 'Beacon Classifier', status: 'suspended' },
      { provider: 'Cobalt Shield Ltd', country: 'GB', service: 'Cobalt Stream Scanner', status: 'revoked' },
      { provider: 'Delta Guard Oy', country: 'FI', service: 'Delta Detector', status: 'expired', level: 2, validUntil: '2025-01-31' },
    ]);

    context = await newBrowserContext(browser, `http://127.0.0.1:${port}`);
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const expectAccessible = (name: string) => audit.expectAccessible(page, name);
  const goBy = (action: () => Promise<unknown>) => goByOn(page, action);
  /** A test whose failure leaves the page's screenshot and HTML in test/artifacts/register/. */
  const inBrowser = (name: string, action: () => Promise<void>) => it(name, () => step('register', name, () => page, action));

  const heading1 = () => page.getByRole('heading', { level: 1 }).textContent();

  /** The value a description list gives for a term, such as "Verification ID". */
  const fact = (term: string) => page.locator('dt').filter({ hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');

  const resultRows = () => page.getByRole('table').getByRole('row').filter({ has: page.getByRole('cell') });

  inBrowser('finds an entry by its provider’s name and opens it', async () => {
    await page.goto('/register');
    expect(await heading1()).toBe('The register');
    expect(await resultRows().count()).toBe(5);
    await expectAccessible('the register');

    await page.getByRole('searchbox', { name: 'Search' }).fill('Guardian Scan');
    await goBy(() => page.getByRole('button', { name: 'Search', exact: true }).click());
    expect(page.url()).toMatch(/\/register\?q=Guardian\+Scan/);
    // The whole page text on failure: an error page says which parameter it refused.
    expect(await page.locator('main').innerText()).toContain('Showing 1–1 of 1 entry.');
    expect(await resultRows().count()).toBe(1);
    const row = resultRows().first();
    expect(await row.textContent()).toContain('Guardian Scan Ltd');
    const shown = await page.getByRole('table').textContent();
    for (const other of ['Aurora', 'Beacon', 'Cobalt', 'Delta']) expect(shown).not.toContain(other);
    await expectAccessible('a search result');

    await goBy(() => row.getByRole('link', { name: real.service }).click());
    expect(new URL(page.url()).pathname).toBe(`/register/${real.id}`);
    expect(await heading1()).toBe(real.service);
  });

  inBrowser('narrows the register with the filters, and shows its statistics', async () => {
    await page.goto('/register');
    await page.getByText('Filters and order').click();
    await page.getByLabel('Status').selectOption({ label: 'suspended' });
    await page.getByLabel('Monitoring body').selectOption({ label: 'Northern Monitoring' });
    await goBy(() => page.getByRole('button', { name: 'Search', exact: true }).click());
    expect(new URL(page.url()).searchParams.get('status')).toBe('suspended');
    expect(await page.locator('main').innerText()).toContain('Showing 1–1 of 1 entry.');
    expect(await page.locator('details').getAttribute('open')).not.toBeNull();
    expect(await resultRows().count()).toBe(1);
    expect(await resultRows().first().textContent()).toContain('Beacon Classifier');
    await expectAccessible('the register with its filters open');

    await goBy(() => page.getByRole('link', { name: 'Statistics' }).click());
    expect(new URL(page.url()).pathname).toBe('/register/statistics');
    expect(await heading1()).toBe('Register statistics');
    const byStatus = page.getByRole('table').first();
    expect(await byStatus.getByRole('row', { name: /^All/ }).getByRole('cell').textContent()).toBe('5');
    await expectAccessible('the statistics');
  });

  inBrowser('shows an entry’s status, facts and history', async () => {
    await page.goto(`/register/${real.id}`);
    expect(await page.getByRole('heading', { name: 'Status: verified' }).isVisible()).toBe(true);
    expect(await fact('Provider').textContent()).toBe('Guardian Scan Ltd');
    expect(await fact('Verification ID').textContent()).toBe(real.verificationId);
    expect(await fact('Level').textContent()).toBe('2');
    expect(await fact('Valid until').textContent()).toContain(real.validUntil);
    expect(await fact('Monitoring body').textContent()).toBe('Northern Monitoring');
    expect(await page.getByText('The tool limits scanning to known hashes.').isVisible()).toBe(true);

    const history = page.getByRole('region', { name: 'History' }).getByRole('listitem');
    expect(await history.count()).toBe(1);
    expect(await history.first().textContent()).toMatch(new RegExp(`verified by Northern Monitoring \\(verification ${real.verificationId}\\)`));
    expect(await page.getByRole('img', { name: 'Adhere register: verified, level 2' }).isVisible()).toBe(true);
    await expectAccessible('an entry');
  });

  inBrowser('checks the entry’s attestation on the verify page, and reports a tampered one as invalid', async () => {
    await page.goto(`/register/${real.id}`);
    const href = await page.getByRole('link', { name: 'Signed attestation' }).getAttribute('href');
    expect(href).toBe(`/api/v1/register/${real.id}/attestation`);
    const response = await page.request.get(href!, { headers: { Accept: 'application/json' } });
    expect(response.status()).toBe(200);
    const { attestation } = (await response.json()) as { attestation: string; kid: string };
    expect(attestation.split('.')).toHaveLength(3);

    await goBy(() => page.getByRole('link', { name: 'the checker' }).click());
    expect(new URL(page.url()).pathname).toBe('/register/verify');
    await expectAccessible('the verify form');
    await page.getByRole('textbox', { name: /^Attestation/ }).fill(attestation);
    await goBy(() => page.getByRole('button', { name: 'Verify' }).click());
    const result = page.getByRole('region', { name: 'Result', exact: true });
    expect((await result.getByRole('status').textContent())?.trim()).toBe('The signature is valid, and the register still shows what the attestation says.');
    expect(await result.textContent()).toContain("The signature is valid. It was made with the register's current signing key");
    const now = result.getByRole('heading', { name: 'What the register shows now' }).locator('xpath=following-sibling::dl[1]');
    expect(await now.locator('dt', { hasText: /^Status$/ }).locator('xpath=following-sibling::dd[1]').textContent()).toBe('verified');
    expect(await now.textContent()).toContain(real.verificationId);
    await expectAccessible('the verify result');

    // One character of the payload changed, as someone raising the level or the date would.
    const [header, payload, signature] = attestation.split('.');
    const at = Math.floor(payload.length / 2);
    const tampered = `${header}.${payload.slice(0, at)}${payload[at] === 'A' ? 'B' : 'A'}${payload.slice(at + 1)}.${signature}`;
    await page.getByRole('textbox', { name: /^Attestation/ }).fill(tampered);
    await goBy(() => page.getByRole('button', { name: 'Verify' }).click());
    expect((await result.getByRole('alert').textContent())?.trim()).toBe('The signature is not valid.');
    expect(await result.textContent()).toContain('Nothing in this attestation can be trusted.');
    await expectAccessible('the verify result of a tampered attestation');
  });

  inBrowser('files a complaint without an account and follows it with the reference and secret', async () => {
    await page.goto(`/register/${real.id}`);
    await goBy(() => page.getByRole('link', { name: 'Complain about this entry' }).click());
    expect(new URL(page.url()).pathname).toBe(`/register/${real.id}/complaints/new`);
    expect(await heading1()).toBe('Complain about this entry');
    await expectAccessible('the complaint form');

    await page.getByLabel('What is the complaint about?').selectOption({ label: 'The register shows inaccurate information' });
    await page.getByRole('textbox', { name: /^Your complaint/ }).fill('The service named here has not been offered since last year.');
    await goBy(() => page.getByRole('button', { name: 'Send the complaint' }).click());
    expect(await heading1()).toBe('Complaint received');
    const reference = (await fact('Reference').textContent())!.trim();
    const secret = (await fact('Secret').textContent())!.trim();
    expect(reference).toMatch(/^C-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(secret.length).toBeGreaterThan(10);
    expect(await page.getByText('You gave no e-mail address').isVisible()).toBe(true);
    await expectAccessible('the complaint confirmation');

    await goBy(() => page.getByRole('link', { name: 'Follow a complaint' }).click());
    expect(new URL(page.url()).pathname).toBe('/register/complaints/follow');
    await expectAccessible('the follow form');
    await page.getByLabel('Reference').fill(reference);
    await page.getByLabel('Secret').fill(secret);
    await goBy(() => page.getByRole('button', { name: 'Show the complaint' }).click());
    const followed = page.getByRole('article', { name: `Complaint ${reference}` });
    expect(await followed.isVisible()).toBe(true);
    // The status comes first in the complaint's header, before its category and the entry it is about.
    expect((await followed.locator('header p').textContent())?.trim()).toMatch(/^Received · The register shows inaccurate information · about Guardian Scan Ltd's /);
    expect(await followed.textContent()).toContain('The service named here has not been offered since last year.');
    await expectAccessible('the followed complaint');
  });

  it('ran axe on every public register page', () => {
    expect(audit.checked).toEqual([
      'the register',
      'a search result',
      'the register with its filters open',
      'the statistics',
      'an entry',
      'the verify form',
      'the verify result',
      'the verify result of a tampered attestation',
      'the complaint form',
      'the complaint confirmation',
      'the follow form',
      'the followed complaint',
    ]);
  });
});
