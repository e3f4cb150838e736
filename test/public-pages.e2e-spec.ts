import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { CODE, OPERATOR_ENV, VERSION } from './support/assessment-fixtures';
import { csrfFrom, decode, open, postForm, textOf } from './support/html';
import { monitoringBody, verifiedAssessment } from './support/review-fixtures';
import { routeTable } from './support/route-table';
import { newSecretToken } from '../src/common/secret-token';
import { Actor, createTestApp, TestApp } from './support/test-app';

const DEFAULT_DESCRIPTION = 'Adhere: declarations of adherence to codes of conduct, independently verified and published in a public register.';
const VIEWS = join(__dirname, '..', 'views');

function descriptionOf(html: string): string | undefined {
  const match = /<meta name="description" content="([^"]*)">/.exec(html);
  return match ? decode(match[1]) : undefined;
}

/** Every template under views/, with its path. */
function templates(directory = VIEWS): Array<{ path: string; text: string }> {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return templates(path);
    return entry.name.endsWith('.hbs') ? [{ path: path.slice(VIEWS.length + 1), text: readFileSync(path, 'utf8') }] : [];
  });
}

/** The conventions people and search engines rely on: addresses people type, descriptions, named groups of fields. */
describe('public pages', () => {
  let t: TestApp;
  let provider: Actor;
  let entryId: string;
  let invitationToken: string;
  let resetToken: string;
  let verificationToken: string;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Described Provider' });
    const team = await monitoringBody(t, 'Described Monitor');
    entryId = (await verifiedAssessment(t, provider, team)).entry.id;
    const invitation = await provider.agent.post(`/api/v1/orgs/${provider.organization.slug}/invitations`).set('X-CSRF-Token', provider.csrf).send({ email: 'described@example.org', role: 'viewer' }).expect(201);
    invitationToken = invitation.body.token;
    // A live password reset link, as the e-mail would carry it.
    const reset = newSecretToken();
    await t.sql(`INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '30 minutes')`, [provider.user.id, reset.hash]);
    resetToken = reset.token;
    // A live e-mail verification link, likewise.
    const verification = newSecretToken();
    await t.sql(`INSERT INTO email_verifications (user_id, email, token_hash, expires_at) VALUES ($1, $2, $3, now() + interval '1 day')`, [provider.user.id, provider.user.email, verification.hash]);
    verificationToken = verification.token;
    // A code with two published versions, for the page of what changed between them.
    const operator = await t.signIn(OPERATOR_ENV.OPERATOR_EMAIL, OPERATOR_ENV.OPERATOR_PASSWORD);
    for (const version of ['1.0.0', '1.1.0']) {
      const yaml = readFileSync(join(__dirname, 'fixtures', 'codes', `green-hosting-${version}.yaml`), 'utf8');
      await operator.agent.post('/api/v1/codes').set('X-CSRF-Token', operator.csrf).set('Content-Type', 'application/yaml').send(yaml).expect(201);
      await operator.agent.post(`/api/v1/codes/green-hosting/versions/${version}/publish`).set('X-CSRF-Token', operator.csrf).expect(200);
    }
  }, 120_000);
  afterAll(() => t.close());

  describe('/login and /logout', () => {
    it('lead to the sign-in page, keeping where to return to', async () => {
      const login = await request(t.server).get('/login').expect(301);
      expect(login.headers.location).toBe('/signin');
      const back = await request(t.server).get('/login?next=%2Faccount').expect(301);
      expect(back.headers.location).toBe('/signin?next=%2Faccount');
      const form = await open(request.agent(t.server), back.headers.location);
      expect(form).toContain('<input type="hidden" name="next" value="/account">');
    });

    it('lead to the sign-out page, whose form signs out; someone signed out is told so', async () => {
      const logout = await provider.agent.get('/logout').expect(301);
      expect(logout.headers.location).toBe('/signout');
      const signedOut = textOf(await open(request.agent(t.server), '/signout'));
      expect(signedOut).toContain('You are not signed in.');

      const person = await t.signIn(provider.user.email);
      const page = await open(person.agent, '/signout');
      expect(textOf(page)).toContain(`You are signed in as ${provider.user.name}`);
      expect(page).toContain('<form method="post" action="/signout">');
      const response = await postForm(person.agent, '/signout', { _csrf: csrfFrom(page) }).redirects(0).expect(303);
      expect(response.headers.location).toBe('/');
      await person.agent.get('/api/v1/auth/session').expect(401);
    });
  });

  describe('meta descriptions', () => {
    /** Every public page of the route table, with real resources in its path. */
    const publicPages = () =>
      routeTable(t.app)
        .filter((route) => route.method === 'GET' && route.rule?.kind === 'public')
        .map((route) => route.path)
        .filter((path) => !/^\/(api|health|\.well-known)(\/|$)/.test(path) && !path.endsWith('.svg'))
        // Valid only while no operator exists; its page is checked in test/pages.e2e-spec.ts.
        .filter((path) => path !== '/setup/:token')
        // The steps of a single sign-on send the browser on (test/sso.e2e-spec.ts); /signin/sso is the page.
        .filter((path) => !path.startsWith('/auth/sso/'));
    const filled = (path: string) =>
      path
        .replace(':code/diff', 'green-hosting/diff')
        .replace(':id', entryId)
        .replace(':code', CODE)
        .replace(':version', VERSION)
        .replace(':token', path.startsWith('/reset-password/') ? resetToken : path.startsWith('/verify-email/') ? verificationToken : invitationToken);

    it('gives every public page a description of its own, and the redirects lead to such pages', async () => {
      const paths = publicPages();
      expect(paths.length).toBeGreaterThanOrEqual(15);
      const descriptions: Record<string, string | undefined> = {};
      const redirects: Record<string, string> = {};
      for (const path of paths) {
        const response = await request(t.server).get(filled(path)).redirects(0);
        if (response.status >= 300 && response.status < 400) {
          redirects[path] = response.headers.location;
          continue;
        }
        expect({ path, status: response.status }).toEqual({ path, status: 200 });
        descriptions[path] = descriptionOf(response.text);
      }
      for (const [path, description] of Object.entries(descriptions)) {
        expect({ path, own: description !== undefined && description !== DEFAULT_DESCRIPTION && description.length >= 20 && description.length <= 300 }).toEqual({ path, own: true });
      }
      // Page-specific: no two pages say the same (a page and its own form differ only in title).
      const texts = Object.values(descriptions);
      expect(new Set(texts).size).toBe(texts.length);
      expect(Object.keys(redirects).sort()).toEqual(['/codes/:code', '/login', '/logout']);
    });

    it('describes an entry and a code by what they are', async () => {
      const entry = descriptionOf(await open(request.agent(t.server), `/register/${entryId}`))!;
      expect(entry).toMatch(/^.+ by Described Provider: verified against .+ at level 2, verified by Described Monitor\./);
      expect(descriptionOf(await open(request.agent(t.server), `/codes/${CODE}/${VERSION}`))).toMatch(/, version 1\.0\.0, in full: \d+ requirements/);
    });

    it('falls back to the service’s own description on pages that give none', async () => {
      expect(descriptionOf(await open(provider.agent, `/app/${provider.organization.slug}`))).toBe(DEFAULT_DESCRIPTION);
    });
  });

  describe('fieldsets', () => {
    it('gives every fieldset of every template an accessible name: a legend first, or an aria-label', () => {
      const unnamed: string[] = [];
      let checked = 0;
      for (const { path, text } of templates()) {
        // The opening tag, Handlebars expressions in it included (`{{> partial}}` holds a ">").
        for (const match of text.matchAll(/<fieldset\b(?:[^>{]|\{\{[^}]*\}\})*>/g)) {
          checked += 1;
          const named = /\baria-label(ledby)?="[^"]+"/.test(match[0]) || /^\s*<legend\b/.test(text.slice(match.index! + match[0].length));
          if (!named) unnamed.push(`${path}: ${match[0]}`);
        }
      }
      expect(checked).toBeGreaterThanOrEqual(15);
      expect(unnamed).toEqual([]);
    });

    it('names the evidence library’s search', async () => {
      const page = await open(provider.agent, `/app/${provider.organization.slug}/evidence`);
      expect(page).toContain('<fieldset role="group" aria-label="Search the evidence library">');
    });
  });
});
