import request from 'supertest';
import { attribute, csrfFrom, decode, elementWithId, flashOf, messageFor, open, postForm, textOf, unlabelledControls } from './support/html';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';

/**
 * The server-rendered pages, used as a person in a browser would: fetch a page, read the form's token
 * from it, post the form urlencoded, follow the redirect and look at what the next page says.
 */

const NEW_PASSWORD = 'a brand new passphrase for adhere';


describe('server-rendered pages', () => {
  let t: TestApp;
  const browser = () => request.agent(t.server);
  const countUsers = async () => Number((await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('sign-up', () => {
    it('shows a labelled form with a form token, creates the account and organization, and welcomes the person', async () => {
      const person = browser();
      const form = await open(person, '/signup');
      const csrf = csrfFrom(form);
      expect(csrf.length).toBeGreaterThanOrEqual(32);
      expect(form).toContain('<form method="post" action="/signup"');
      for (const id of ['name', 'email', 'password', 'organization-name', 'organization-country', 'organization-website']) {
        expect(elementWithId(form, id)).toBeDefined();
        expect(form).toContain(`<label for="${id}"`);
      }
      expect(unlabelledControls(form)).toEqual([]);
      // Provider is preselected.
      expect(form).toMatch(/<input type="radio" name="organization\[kind\]" value="provider" checked>/);

      const response = await postForm(person, '/signup', {
        _csrf: csrf,
        name: 'Grace Hopper',
        email: 'grace@compilers.example',
        password: PASSWORD,
        'organization[name]': 'Compilers United',
        'organization[kind]': 'provider',
      }).redirects(0);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/app/compilers-united');

      const cookie = (response.headers['set-cookie'] as unknown as string[] | undefined)?.find((line) => line.startsWith('adhere.sid='));
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);

      const overview = await open(person, response.headers.location);
      expect(overview).toContain('<h1>Compilers United</h1>');
      expect(flashOf(overview)).toBe('Welcome to Adhere. Compilers United is ready.');
      expect(textOf(overview)).toContain('Your role owner');
      expect(textOf(overview)).toContain('Grace Hopper');
      // The message is shown once.
      expect(flashOf(await open(person, response.headers.location))).toBeUndefined();

      const [user] = await t.sql<{ name: string; is_operator: boolean }>(`SELECT name, is_operator FROM users WHERE email = $1`, ['grace@compilers.example']);
      expect(user).toEqual({ name: 'Grace Hopper', is_operator: false });
    });

    it('shows the form again on bad input, keeping what was typed except the password, with a message beside each field', async () => {
      const person = browser();
      const csrf = csrfFrom(await open(person, '/signup'));
      const before = await countUsers();

      const response = await postForm(person, '/signup', {
        _csrf: csrf,
        name: 'Ada Lovelace',
        email: 'ada-at-engines',
        password: 'tiny-pw-42',
        'organization[name]': 'Analytical Engines',
      });
      expect(response.status).toBe(400);
      const html = response.text;
      expect(html).toContain('<form method="post" action="/signup"');
      expect(attribute(elementWithId(html, 'name'), 'value')).toBe('Ada Lovelace');
      expect(attribute(elementWithId(html, 'email'), 'value')).toBe('ada-at-engines');
      expect(attribute(elementWithId(html, 'organization-name'), 'value')).toBe('Analytical Engines');
      expect(html).not.toContain('tiny-pw-42');
      expect(attribute(elementWithId(html, 'password'), 'value')).toBeUndefined();

      expect(attribute(elementWithId(html, 'email'), 'aria-invalid')).toBe('true');
      expect(messageFor(html, 'email')).toBe('email must be an email address');
      expect(attribute(elementWithId(html, 'password'), 'aria-invalid')).toBe('true');
      expect(messageFor(html, 'password')).toBe('password must be at least 12 characters long');
      expect(textOf(html)).toContain('kind must be provider or monitoring_body');
      // Fields that were fine are not flagged.
      expect(attribute(elementWithId(html, 'name'), 'aria-invalid')).toBeUndefined();
      expect(attribute(elementWithId(html, 'organization-name'), 'aria-invalid')).toBeUndefined();
      // No kind was chosen, so none is checked.
      expect(html).not.toMatch(/name="organization\[kind\]" value="[a-z_]+" checked/);
      // The form token is kept, so the corrected form can be sent.
      expect(csrfFrom(html)).toBe(csrf);

      expect(await countUsers()).toBe(before);
    });

    it('marks the organization-kind choice itself as invalid, tied to its message, when no kind is chosen', async () => {
      const person = browser();
      const csrf = csrfFrom(await open(person, '/signup'));
      const response = await postForm(person, '/signup', {
        _csrf: csrf,
        name: 'Ada Lovelace',
        email: 'ada@engines.example',
        password: PASSWORD,
        'organization[name]': 'Analytical Engines',
      });
      expect(response.status).toBe(400);
      const html = response.text;
      // The message is there…
      expect(textOf(html)).toContain('kind must be provider or monitoring_body');
      // …and assistive technology is told which control it belongs to: either the group of radio buttons
      // (a fieldset or role="radiogroup") or every radio button is marked invalid and described by it.
      const group = /<fieldset\b([^>]*)>\s*<legend>It is<\/legend>/.exec(html);
      expect(group).not.toBeNull();
      const radios = [...html.matchAll(/<input type="radio" name="organization\[kind\]"[^>]*>/g)].map((match) => match[0]);
      expect(radios).toHaveLength(2);
      const marked = [`<fieldset${group![1]}>`, ...radios].filter((tag) => attribute(tag, 'aria-invalid') === 'true');
      expect(marked.length).toBeGreaterThan(0);
      for (const tag of marked) {
        const describedBy = attribute(tag, 'aria-describedby');
        expect(describedBy).toBeDefined();
        expect(html).toMatch(new RegExp(`<small\\b[^>]*\\bid="${describedBy}"[^>]*>\\s*kind must be provider or monitoring_body`));
      }
      if (!marked[0].startsWith('<fieldset')) expect(marked).toHaveLength(radios.length);
    });

    it('refuses a form post without the form token, or with a wrong one, and writes nothing', async () => {
      const person = browser();
      const csrf = csrfFrom(await open(person, '/signup'));
      const before = await countUsers();
      const fields = {
        name: 'Mallory',
        email: 'mallory@forged.example',
        password: PASSWORD,
        'organization[name]': 'Forged Org',
        'organization[kind]': 'provider',
      };

      const missing = await postForm(person, '/signup', fields).redirects(0);
      expect(missing.status).toBe(403);
      expect(missing.text).toContain('<h1>Forbidden</h1>');
      expect(textOf(missing.text)).toContain('The form has expired or did not come from this site');

      const wrong = await postForm(person, '/signup', { ...fields, _csrf: '0'.repeat(csrf.length) }).redirects(0);
      expect(wrong.status).toBe(403);

      // A stranger without any session, e.g. another site posting the form.
      const stranger = await postForm(browser(), '/signup', { ...fields, _csrf: csrf }).redirects(0);
      expect(stranger.status).toBe(403);

      expect(await countUsers()).toBe(before);
      expect(await t.sql(`SELECT 1 FROM organizations WHERE name = 'Forged Org'`)).toEqual([]);
    });

    it('refuses a signed-in person’s form post with a wrong token, and changes nothing', async () => {
      const owner = await t.signUp({ organization: 'Token Guarded' });
      const settings = await open(owner.agent, `/app/${owner.organization.slug}/settings`);
      const version = attribute(/<input type="hidden" name="version"[^>]*>/.exec(settings)?.[0], 'value')!;
      const response = await postForm(owner.agent, `/app/${owner.organization.slug}/settings`, {
        _csrf: 'not-the-token',
        version,
        name: 'Hijacked',
      }).redirects(0);
      expect(response.status).toBe(403);
      const [row] = await t.sql<{ name: string }>(`SELECT name FROM organizations WHERE id = $1`, [owner.organization.id]);
      expect(row.name).toBe('Token Guarded');
    });
  });

  describe('sign-in and sign-out', () => {
    let person: Actor;
    beforeAll(async () => {
      person = await t.signUp({ name: 'Sign In Person', organization: 'Sign In Org' });
    });

    async function signInForm(next?: string) {
      const agent = browser();
      const html = await open(agent, next === undefined ? '/signin' : `/signin?next=${encodeURIComponent(next)}`);
      return { agent, html, csrf: csrfFrom(html) };
    }

    it('shows the sign-in form again with the message when the password is wrong', async () => {
      const { agent, html: form, csrf } = await signInForm('/account');
      expect(form).toContain('<input type="hidden" name="next" value="/account">');
      expect(unlabelledControls(form)).toEqual([]);

      const response = await postForm(agent, '/signin', { _csrf: csrf, email: person.user.email, password: 'not the password at all', next: '/account' }).redirects(0);
      expect(response.status).toBe(401);
      expect(textOf(response.text)).toContain('The email address or password is wrong');
      expect(response.text).not.toContain('not the password at all');
      // The sign-in form itself, with the email address kept, so the person can try again.
      expect(response.text).toContain('<form method="post" action="/signin"');
      expect(attribute(elementWithId(response.text, 'email'), 'value')).toBe(person.user.email);
      expect(elementWithId(response.text, 'password')).toBeDefined();
    });

    it('signs in and returns to a local `next` page', async () => {
      const { agent, csrf } = await signInForm('/account');
      const response = await postForm(agent, '/signin', { _csrf: csrf, email: person.user.email, password: PASSWORD, next: '/account' }).redirects(0);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/account');
      const account = await open(agent, '/account');
      expect(textOf(account)).toContain(`Sign In Person — ${person.user.email}`);
    });

    it.each(['//evil.example', 'https://evil.example', '/\\evil.example', '//evil.example/account'])('never sends the person to another site (next=%s)', async (next) => {
      const { agent, html, csrf } = await signInForm(next);
      expect(html).not.toContain('evil.example');
      const response = await postForm(agent, '/signin', { _csrf: csrf, email: person.user.email, password: PASSWORD, next }).redirects(0);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/');
    });

    it('signs out, after which pages that need sign-in send the person to the sign-in page', async () => {
      const { agent, csrf } = await signInForm();
      await postForm(agent, '/signin', { _csrf: csrf, email: person.user.email, password: PASSWORD }).redirects(0).expect(303).expect('Location', '/');
      const account = await open(agent, '/account');
      const signOut = await postForm(agent, '/signout', { _csrf: csrfFrom(account) }).redirects(0);
      expect(signOut.status).toBe(303);
      expect(signOut.headers.location).toBe('/');

      const home = await open(agent, '/');
      expect(home).toContain('<a href="/signin">Sign in</a>');
      expect(home).not.toContain('Sign In Person');

      const again = await agent.get('/account').redirects(0);
      expect(again.status).toBe(303);
      expect(again.headers.location).toBe('/signin?next=%2Faccount');
      const deep = await agent.get(`/app/${person.organization.slug}/members`).redirects(0);
      expect(deep.status).toBe(303);
      expect(deep.headers.location).toBe(`/signin?next=${encodeURIComponent(`/app/${person.organization.slug}/members`)}`);
    });
  });

  describe('account page', () => {
    it('changes the password only with the right current one, and the old one stops working', async () => {
      const person = await t.signUp({ name: 'Password Changer', organization: 'Password Org' });
      const otherSession = await t.signIn(person.user.email);

      const page = await open(person.agent, '/account');
      expect(textOf(page)).toContain(`Password Changer — ${person.user.email}`);
      expect(page).toContain(`<a href="/app/${person.organization.slug}">Password Org</a> — owner`);
      expect(unlabelledControls(page)).toEqual([]);

      const wrong = await postForm(person.agent, '/account/password', {
        _csrf: csrfFrom(page),
        currentPassword: 'this is not my password',
        newPassword: NEW_PASSWORD,
      }).redirects(0);
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain('<form method="post" action="/account/password"');
      expect(attribute(elementWithId(wrong.text, 'current-password'), 'aria-invalid')).toBe('true');
      expect(messageFor(wrong.text, 'current-password')).toBe('The current password is wrong');
      expect(wrong.text).not.toContain('this is not my password');
      expect(wrong.text).not.toContain(NEW_PASSWORD);

      const right = await postForm(person.agent, '/account/password', {
        _csrf: csrfFrom(wrong.text),
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      }).redirects(0);
      expect(right.status).toBe(303);
      expect(right.headers.location).toBe('/account');
      expect(flashOf(await open(person.agent, '/account'))).toBe('Your password has been changed. Your other sessions were signed out.');

      // The other session was ended.
      const ended = await otherSession.agent.get('/account').redirects(0);
      expect(ended.status).toBe(303);
      expect(ended.headers.location).toBe('/signin?next=%2Faccount');

      const oldAttempt = browser();
      const oldForm = await open(oldAttempt, '/signin');
      await postForm(oldAttempt, '/signin', { _csrf: csrfFrom(oldForm), email: person.user.email, password: PASSWORD }).redirects(0).expect(401);
      const newAttempt = browser();
      const newForm = await open(newAttempt, '/signin');
      await postForm(newAttempt, '/signin', { _csrf: csrfFrom(newForm), email: person.user.email, password: NEW_PASSWORD })
        .redirects(0)
        .expect(303)
        .expect('Location', '/');
    });
  });

  describe('organization pages for an owner', () => {
    let owner: Actor;
    beforeAll(async () => {
      owner = await t.signUp({ name: 'Olivia Owner', organization: 'Owner Pages Org' });
    });

    it('shows the overview and the members', async () => {
      const slug = owner.organization.slug;
      const overview = await open(owner.agent, `/app/${slug}`);
      expect(overview).toContain('<h1>Owner Pages Org</h1>');
      const text = textOf(overview);
      expect(text).toContain('Kind provider');
      expect(text).toContain('Your role owner');
      expect(overview).toMatch(new RegExp(`<dt>Members</dt><dd><a href="/app/${slug}/members">1</a></dd>`));
      expect(overview).toContain(`<a href="/app/${slug}/settings">Settings</a>`);

      const members = await open(owner.agent, `/app/${slug}/members`);
      expect(members).toContain('<caption>People in Owner Pages Org</caption>');
      expect(members).toContain('<td>Olivia Owner</td>');
      expect(members).toContain(`<td>${owner.user.email}</td>`);
      expect(members).toMatch(/<option value="owner" selected>owner<\/option>/);
      expect(textOf(members)).toContain('No invitations yet.');
      expect(unlabelledControls(members)).toEqual([]);
    });

    it('saves settings with the current version, and shows the form again with 409 for a stale one', async () => {
      const slug = owner.organization.slug;
      const settings = await open(owner.agent, `/app/${slug}/settings`);
      expect(settings).toContain(`<form method="post" action="/app/${slug}/settings"`);
      const versionField = /<input type="hidden" name="version" value="(\d+)">/.exec(settings);
      expect(versionField).not.toBeNull();
      const version = versionField![1];
      expect(version).toBe('1');
      expect(attribute(elementWithId(settings, 'name'), 'value')).toBe('Owner Pages Org');
      expect(unlabelledControls(settings)).toEqual([]);

      const saved = await postForm(owner.agent, `/app/${slug}/settings`, { _csrf: csrfFrom(settings), version, name: 'Owner Pages Renamed', country: 'de' }).redirects(0);
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe(`/app/${slug}/settings`);
      const after = await open(owner.agent, saved.headers.location);
      expect(flashOf(after)).toBe('The organization details were saved.');
      expect(attribute(elementWithId(after, 'name'), 'value')).toBe('Owner Pages Renamed');
      expect(attribute(elementWithId(after, 'country'), 'value')).toBe('DE');
      expect(after).toContain('<input type="hidden" name="version" value="2">');
      const overview = await open(owner.agent, `/app/${slug}`);
      expect(overview).toContain('<h1>Owner Pages Renamed</h1>');

      // The first form, sent again: someone (here, the same person in another tab) saved in between.
      const stale = await postForm(owner.agent, `/app/${slug}/settings`, { _csrf: csrfFrom(settings), version, name: 'Stale Tab Name' }).redirects(0);
      expect(stale.status).toBe(409);
      expect(stale.text).toContain(`<form method="post" action="/app/${slug}/settings"`);
      expect(attribute(elementWithId(stale.text, 'name'), 'value')).toBe('Stale Tab Name');
      expect(flashOf(stale.text)).toMatch(/changed by someone else at .* \(it is now at version 2, your change was based on 1\)/);
      const [row] = await t.sql<{ name: string; version: number }>(`SELECT name, version FROM organizations WHERE id = $1`, [owner.organization.id]);
      expect(row).toEqual({ name: 'Owner Pages Renamed', version: 2 });
    });

    it('shows the settings form again with a message for an invalid value', async () => {
      const slug = owner.organization.slug;
      const settings = await open(owner.agent, `/app/${slug}/settings`);
      const version = /<input type="hidden" name="version" value="(\d+)">/.exec(settings)![1];
      const response = await postForm(owner.agent, `/app/${slug}/settings`, { _csrf: csrfFrom(settings), version, website: 'ftp://files.example' }).redirects(0);
      expect(response.status).toBe(400);
      expect(attribute(elementWithId(response.text, 'website'), 'aria-invalid')).toBe('true');
      expect(attribute(elementWithId(response.text, 'website'), 'value')).toBe('ftp://files.example');
      expect(messageFor(response.text, 'website')).toBe('website must be an http(s) address');
    });
  });

  describe('invitations', () => {
    it('invites through the form; the invitee accepts with a new account and gets the editor role only', async () => {
      const owner = await t.signUp({ name: 'Inviting Owner', organization: 'Inviting Org' });
      const slug = owner.organization.slug;

      const form = await open(owner.agent, `/app/${slug}/invitations/new`);
      expect(form).toContain(`<form method="post" action="/app/${slug}/invitations"`);
      expect([...form.matchAll(/<option value="([a-z_]+)"/g)].map((match) => match[1])).toEqual(['owner', 'editor', 'viewer']);
      expect(unlabelledControls(form)).toEqual([]);

      const created = await postForm(owner.agent, `/app/${slug}/invitations`, { _csrf: csrfFrom(form), email: 'edith@inviting.example', role: 'editor' }).redirects(0);
      expect(created.status).toBe(200);
      expect(created.headers['content-type']).toMatch(/^text\/html/);
      expect(textOf(created.text)).toContain('Send this link to edith@inviting.example');
      const link = /<p class="token" id="invitation-link">([^<]+)<\/p>/.exec(created.text)?.[1];
      expect(link).toMatch(/^http:\/\/[^/]+\/invitations\/inv_[A-Za-z0-9_-]{43}$/);
      const path = new URL(decode(link!)).pathname;

      const members = await open(owner.agent, `/app/${slug}/members`);
      expect(members).toMatch(/<td>edith@inviting\.example<\/td><td>editor<\/td><td class="status-pending">pending<\/td>/);

      const invitee = browser();
      const invitation = await open(invitee, path);
      expect(invitation).toContain('<h1>Join Inviting Org</h1>');
      expect(textOf(invitation)).toContain('You were invited as editor of Inviting Org (provider), at edith@inviting.example.');
      expect(unlabelledControls(invitation)).toEqual([]);

      const accepted = await postForm(invitee, path, { _csrf: csrfFrom(invitation), name: 'Edith Editor', password: PASSWORD }).redirects(0);
      expect(accepted.status).toBe(303);
      expect(accepted.headers.location).toBe(`/app/${slug}`);

      const overview = await open(invitee, accepted.headers.location);
      expect(overview).toContain('<h1>Inviting Org</h1>');
      expect(flashOf(overview)).toBe('You joined Inviting Org.');
      expect(textOf(overview)).toContain('Your role editor');
      expect(textOf(overview)).toContain('Edith Editor');
      expect(overview).not.toContain(`<a href="/app/${slug}/settings">`);
      expect(overview).not.toContain(`<a href="/app/${slug}/tokens">`);

      for (const page of ['settings', 'tokens', 'tokens/new', 'invitations/new', 'audit']) {
        const refused = await invitee.get(`/app/${slug}/${page}`).redirects(0);
        expect([page, refused.status]).toEqual([page, 403]);
        expect(refused.text).toContain('<h1>Forbidden</h1>');
        expect(textOf(refused.text)).toContain('Your role (editor) does not allow');
        expect(refused.text).not.toContain('name="version"');
      }

      // The link works once.
      const reused = await browser().get(path).redirects(0);
      expect(reused.status).toBe(410);
      expect(textOf(reused.text)).toContain('This invitation has already been accepted.');

      const afterwards = await open(owner.agent, `/app/${slug}/members`);
      expect(afterwards).toContain('<td>Edith Editor</td>');
      expect(afterwards).toMatch(/<td class="status-accepted">accepted<\/td>/);
    });

    it('shows the invitation form again when the invitee leaves out the password', async () => {
      const owner = await t.signUp({ organization: 'Second Inviting Org' });
      const slug = owner.organization.slug;
      const form = await open(owner.agent, `/app/${slug}/invitations/new`);
      const created = await postForm(owner.agent, `/app/${slug}/invitations`, { _csrf: csrfFrom(form), email: 'victor@inviting.example', role: 'viewer' });
      const path = new URL(decode(/<p class="token" id="invitation-link">([^<]+)<\/p>/.exec(created.text)![1])).pathname;

      const invitee = browser();
      const page = await open(invitee, path);
      const before = await countUsers();
      const response = await postForm(invitee, path, { _csrf: csrfFrom(page), name: 'Victor Viewer', password: '' }).redirects(0);
      expect(response.status).toBe(400);
      expect(response.text).toContain(`<form method="post" action="${path}"`);
      expect(attribute(elementWithId(response.text, 'name'), 'value')).toBe('Victor Viewer');
      expect(attribute(elementWithId(response.text, 'password'), 'aria-invalid')).toBe('true');
      expect(messageFor(response.text, 'password')).toBe('password is required to create an account');
      expect(await countUsers()).toBe(before);
    });
  });

  describe('API tokens page', () => {
    it('creates a token shown once, which works until it is revoked', async () => {
      const owner = await t.signUp({ organization: 'Token Org' });
      const slug = owner.organization.slug;

      const list = await open(owner.agent, `/app/${slug}/tokens`);
      expect(textOf(list)).toContain('No tokens yet.');
      const form = await open(owner.agent, `/app/${slug}/tokens/new`);
      expect(form).toContain(`<form method="post" action="/app/${slug}/tokens"`);
      expect(unlabelledControls(form)).toEqual([]);

      const created = await postForm(owner.agent, `/app/${slug}/tokens`, { _csrf: csrfFrom(form), name: 'Nightly export', scopes: 'read' }).redirects(0);
      expect(created.status).toBe(200);
      expect(created.text).toContain('<h1>API token created</h1>');
      const token = /<p class="token" id="api-token">([^<]+)<\/p>/.exec(created.text)?.[1];
      expect(token).toMatch(/^adh_[A-Za-z0-9_-]{43}$/);
      expect(textOf(created.text)).toContain('Nightly export — scopes: read');

      const api = await request(t.server).get(`/api/v1/orgs/${slug}`).set('Authorization', `Bearer ${token}`);
      expect(api.status).toBe(200);
      expect(api.body).toMatchObject({ slug, name: 'Token Org' });

      const listed = await open(owner.agent, `/app/${slug}/tokens`);
      expect(listed).toContain('<td>Nightly export</td>');
      expect(listed).toContain(`<code>${token!.slice(0, 10)}…</code>`);
      expect(listed).not.toContain(token!);
      expect(listed).toMatch(/<td>active<\/td>/);
      const revokeAction = new RegExp(`<form method="post" action="(/app/${slug}/tokens/[0-9a-f-]{36}/revoke)">`).exec(listed)?.[1];
      expect(revokeAction).toBeDefined();

      const revoked = await postForm(owner.agent, revokeAction!, { _csrf: csrfFrom(listed) }).redirects(0);
      expect(revoked.status).toBe(303);
      expect(revoked.headers.location).toBe(`/app/${slug}/tokens`);
      const after = await open(owner.agent, revoked.headers.location);
      expect(flashOf(after)).toBe('The token was revoked; requests that present it are now refused.');
      expect(after).toMatch(/<td>revoked<\/td>/);
      expect(after).not.toContain(revokeAction!);

      const refused = await request(t.server).get(`/api/v1/orgs/${slug}`).set('Authorization', `Bearer ${token}`);
      expect(refused.status).toBe(401);
      expect(refused.body.message).toBe('The API token has been revoked.');
    });

    it('shows the token form again with a message when no scope is ticked', async () => {
      const owner = await t.signUp({ organization: 'Scopeless Org' });
      const slug = owner.organization.slug;
      const form = await open(owner.agent, `/app/${slug}/tokens/new`);
      const response = await postForm(owner.agent, `/app/${slug}/tokens`, { _csrf: csrfFrom(form), name: 'No scopes' }).redirects(0);
      expect(response.status).toBe(400);
      expect(attribute(elementWithId(response.text, 'name'), 'value')).toBe('No scopes');
      expect(textOf(response.text)).toContain('scopes must contain read, write or both');
      expect(await t.sql(`SELECT 1 FROM api_tokens WHERE name = 'No scopes'`)).toEqual([]);
    });
  });

  describe('audit page', () => {
    it('shows that the chain is intact and lists the events, and notices a forged event', async () => {
      const owner = await t.signUp({ organization: 'Audited Org' });
      const slug = owner.organization.slug;
      const page = await open(owner.agent, `/app/${slug}/audit`);
      expect(page).toContain('<h1>Audit log</h1>');
      const intact = /The chain of (\d+) events is intact/.exec(textOf(page));
      expect(intact).not.toBeNull();
      expect(Number(intact![1])).toBeGreaterThanOrEqual(1);
      expect(page).toContain('<td>organization.created</td>');
      expect(page).toContain(`organization <code title="${owner.organization.id}">${owner.organization.id.slice(0, 8)}</code>`);
      expect(page).toContain(owner.user.name);
      expect(page).not.toContain('The chain is broken');

      await t.sql(
        `INSERT INTO audit_events (organization_id, action, target_type, occurred_at, previous_hash, hash)
         SELECT $1, 'membership.forged', 'membership', now(),
                (SELECT hash FROM audit_events WHERE organization_id = $1 ORDER BY id DESC LIMIT 1), 'forged-hash'`,
        [owner.organization.id],
      );
      const tampered = await open(owner.agent, `/app/${slug}/audit`);
      expect(textOf(tampered)).toMatch(/The chain is broken at event \d+/);
      expect(tampered).not.toContain('is intact');
    });
  });

  describe('operator setup link', () => {
    it('creates the operator through a one-time link, which then answers 404', async () => {
      await t.sql(`DELETE FROM users WHERE is_operator`);
      await t.sql(
        `INSERT INTO setup_tokens (token_hash, expires_at) VALUES (encode(sha256('known-setup-token'::bytea), 'hex'), now() + interval '1 hour')`,
      );
      const person = browser();
      const form = await open(person, '/setup/known-setup-token');
      expect(form).toContain('<h1>Create the operator account</h1>');
      expect(form).toContain('<meta name="description" content="Create the first operator account of this Adhere installation.">');
      expect(form).toContain('<form method="post" action="/setup/known-setup-token"');
      expect(unlabelledControls(form)).toEqual([]);

      const response = await postForm(person, '/setup/known-setup-token', {
        _csrf: csrfFrom(form),
        name: 'Olga Operator',
        email: 'operator@adhere.example',
        password: PASSWORD,
      }).redirects(0);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/');
      const home = await open(person, '/');
      expect(flashOf(home)).toBe('The operator account is ready, and you are signed in with it.');
      expect(textOf(await open(person, '/account'))).toContain('Olga Operator — operator@adhere.example · platform operator');

      const rows = await t.sql<{ is_operator: boolean }>(`SELECT is_operator FROM users WHERE email = 'operator@adhere.example'`);
      expect(rows).toEqual([{ is_operator: true }]);

      const later = browser();
      const gone = await later.get('/setup/known-setup-token').redirects(0);
      expect(gone.status).toBe(404);
      expect(gone.text).toContain('<h1>Not Found</h1>');
      expect(gone.text).not.toContain('<form method="post" action="/setup/');
      const signupForm = await open(later, '/signup');
      const second = await postForm(later, '/setup/known-setup-token', {
        _csrf: csrfFrom(signupForm),
        name: 'Second Operator',
        email: 'second@adhere.example',
        password: PASSWORD,
      }).redirects(0);
      expect(second.status).toBe(404);
      expect(await t.sql(`SELECT 1 FROM users WHERE email = 'second@adhere.example'`)).toEqual([]);
    });
  });

  describe('another organization', () => {
    it('answers 404 to a member of another organization, exactly as for one that does not exist, never showing its name', async () => {
      const owner = await t.signUp({ organization: 'Secret Keepers Org' });
      const outsider = await t.signUp({ organization: 'Curious Outsiders Org' });
      const slug = owner.organization.slug;

      const missing = await outsider.agent.get('/app/no-such-organization-here').redirects(0);
      expect(missing.status).toBe(404);

      for (const page of ['', '/members', '/settings', '/tokens', '/audit', '/invitations/new']) {
        const response = await outsider.agent.get(`/app/${slug}${page}`).redirects(0);
        expect([page, response.status]).toEqual([page, 404]);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        expect(response.text).toContain('<h1>Not Found</h1>');
        expect(textOf(response.text)).toContain('No such organization, or you are not a member of it.');
        expect(response.text).not.toContain('Secret Keepers');
        expect(response.text).not.toContain(owner.user.email);
        expect(textOf(response.text)).toBe(textOf(missing.text));
      }

      const home = await open(outsider.agent, '/');
      const stolen = await postForm(outsider.agent, `/app/${slug}/settings`, { _csrf: csrfFrom(home), version: '1', name: 'Taken Over' }).redirects(0);
      expect(stolen.status).toBe(404);
      expect(stolen.text).not.toContain('Secret Keepers');
      const [row] = await t.sql<{ name: string }>(`SELECT name FROM organizations WHERE id = $1`, [owner.organization.id]);
      expect(row.name).toBe('Secret Keepers Org');
    });
  });

  describe('content security', () => {
    it('sends a strict Content-Security-Policy with every page, and the pages carry no inline script or style', async () => {
      const owner = await t.signUp({ organization: 'Policy Org' });
      const slug = owner.organization.slug;
      const form = await open(owner.agent, `/app/${slug}/invitations/new`);
      const created = await postForm(owner.agent, `/app/${slug}/invitations`, { _csrf: csrfFrom(form), email: 'csp@policy.example', role: 'viewer' });
      const invitationPath = new URL(decode(/<p class="token" id="invitation-link">([^<]+)<\/p>/.exec(created.text)![1])).pathname;

      const signedIn = ['/', '/account', '/organizations/new', `/app/${slug}`, `/app/${slug}/members`, `/app/${slug}/settings`, `/app/${slug}/invitations/new`, `/app/${slug}/tokens`, `/app/${slug}/tokens/new`, `/app/${slug}/audit`];
      const anonymous = ['/', '/signup', '/signin', '/signin?next=%2Faccount', invitationPath, '/setup/not-a-setup-token', '/no/such/page'];
      const responses: Array<[string, request.Response]> = [['invitation created', created]];
      for (const path of signedIn) responses.push([`signed in ${path}`, await owner.agent.get(path).redirects(0)]);
      // An error page, and a page showing a one-time message after a saved form.
      responses.push(['signed in /app/nowhere-at-all', await owner.agent.get('/app/nowhere-at-all').redirects(0)]);
      const settings = await open(owner.agent, `/app/${slug}/settings`);
      const version = /<input type="hidden" name="version" value="(\d+)">/.exec(settings)![1];
      await postForm(owner.agent, `/app/${slug}/settings`, { _csrf: csrfFrom(settings), version, name: 'Policy Org Saved' }).redirects(0).expect(303);
      const withFlash = await owner.agent.get(`/app/${slug}/settings`).redirects(0);
      expect(flashOf(withFlash.text)).toBe('The organization details were saved.');
      responses.push(['page with a message', withFlash]);
      const stranger = browser();
      for (const path of anonymous) responses.push([`anonymous ${path}`, await stranger.get(path).redirects(0)]);
      // A form shown again after an error.
      const signup = await open(stranger, '/signup');
      responses.push(['signup error', await postForm(stranger, '/signup', { _csrf: csrfFrom(signup), name: 'x' })]);

      for (const [label, response] of responses) {
        expect([label, response.headers['content-type']]).toEqual([label, expect.stringMatching(/^text\/html/)]);
        const policy = String(response.headers['content-security-policy'] ?? '');
        const directives = new Map(
          policy
            .split(';')
            .map((part) => part.trim().split(/\s+/))
            .filter((parts) => parts[0])
            .map((parts) => [parts[0], parts.slice(1)] as const),
        );
        expect([label, directives.get('script-src')]).toEqual([label, ["'self'"]]);
        expect([label, directives.get('style-src')]).toEqual([label, ["'self'"]]);
        expect([label, policy]).toEqual([label, expect.not.stringContaining('unsafe-inline')]);
        expect([label, policy]).toEqual([label, expect.not.stringContaining('unsafe-eval')]);

        const html = response.text;
        expect(html).toContain('<html');
        expect([label, html.match(/<script\b(?![^>]*\bsrc=)[^>]*>/gi)]).toEqual([label, null]);
        expect([label, html.match(/<style\b/gi)]).toEqual([label, null]);
        expect([label, html.match(/\sstyle\s*=/gi)]).toEqual([label, null]);
        expect([label, html.match(/\son[a-z]+\s*=/gi)]).toEqual([label, null]);
        expect([label, html.match(/javascript:/gi)]).toEqual([label, null]);
      }
    });
  });
});
