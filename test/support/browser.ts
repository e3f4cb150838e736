import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumExecutable } from './chromium-executable';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const ARTEFACTS = join(__dirname, '..', 'artifacts');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** A free port for the application, known before it starts so that its links (PUBLIC_URL) point to it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts Chromium for a browser test. The machine's network is closed, so the browser is told not to phone home. */
export async function launchChromium(): Promise<Browser> {
  const executable = await chromiumExecutable();
  try {
    return await chromium.launch({
      executablePath: executable.path,
      env: { ...process.env, ...executable.env },
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  } catch (error) {
    throw new Error(`Chromium from ${executable.source} (${executable.path}) did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A browser profile of its own (cookies, session), as one person's browser is. */
export async function newBrowserContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  // The pages allow only their own scripts; axe is injected by the test, so the policy is bypassed.
  const context = await browser.newContext({ baseURL, bypassCSP: true });
  // A control that is not there fails the step in seconds, not at the test's time limit.
  context.setDefaultTimeout(10_000);
  return context;
}

/** Runs axe-core on pages, and keeps the names of those it checked so that a test can show it checked them all. */
export class AccessibilityAudit {
  readonly checked: string[] = [];

  /** Runs axe-core on the page as it is now, and fails with every violation's rule, help and elements. */
  async expectAccessible(page: Page, name: string): Promise<void> {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate(async (tags) => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map(({ id, impact, help, helpUrl, nodes }) => ({ id, impact, help, helpUrl, nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })) }));
    }, AXE_TAGS);
    this.checked.push(name);
    if (violations.length === 0) return;
    const report = violations.map((violation) =>
      [
        `${violation.id} (${violation.impact ?? 'no impact'}): ${violation.help} — ${violation.helpUrl}`,
        ...violation.nodes.map((node) => `    ${node.target.map(String).join(' ')}${node.failureSummary ? `\n      ${node.failureSummary.replace(/\n/g, '\n      ')}` : ''}`),
      ].join('\n'),
    );
    throw new Error(`axe found ${violations.length} accessibility violation(s) on ${name} (${page.url()}):\n${report.join('\n')}`);
  }
}

/** Does what a person does to leave the page (click a link, send a form) and waits for the next page. */
export async function goBy(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForEvent('load'), action()]);
}

/**
 * Runs one step of a browser test. If it fails, the page it left behind is saved as a full-page
 * screenshot and as HTML under test/artifacts/<folder>/, named after the step, and the error names
 * the step and both files.
 */
export async function step(folder: string, name: string, page: () => Page | undefined, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const saved = await saveArtefacts(folder, name, page());
    const failure = new Error(`Step "${name}" failed (${saved}): ${error instanceof Error ? error.message : String(error)}`);
    // Where the step failed, not where it was reported.
    const frames = error instanceof Error ? (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)) : [];
    if (frames.length > 0) failure.stack = [`Error: ${failure.message}`, ...frames].join('\n');
    throw failure;
  }
}

async function saveArtefacts(folder: string, name: string, page: Page | undefined): Promise<string> {
  if (!page || page.isClosed()) return 'no page was open to save';
  const directory = join(ARTEFACTS, folder);
  mkdirSync(directory, { recursive: true });
  const base = join(directory, name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
  const shown = (path: string) => relative(process.cwd(), path);
  try {
    writeFileSync(`${base}.html`, await page.content());
    await page.screenshot({ path: `${base}.png`, fullPage: true });
    return `screenshot ${shown(`${base}.png`)}, HTML ${shown(`${base}.html`)}`;
  } catch (error) {
    return `the page could not be saved to ${shown(base)}.*: ${error instanceof Error ? error.message : String(error)}`;
  }
}
