import request from 'supertest';
import { asCaller, call, createService, orgPath } from './support/assessment-fixtures';
import { attribute, csrfFrom, elementWithId, messageFor, open, postForm } from './support/html';
import { createTestApp, PASSWORD, type Actor, type TestApp } from './support/test-app';

/** One character of every class a name must not hold, with the kind the refusal names. */
const REFUSED: Array<[label: string, character: string, kind: string]> = [
  ['a C0 control (BEL)', '\u0007', 'a control character'],
  ['a C0 control (TAB)', '\u0009', 'a control character'],
  ['DEL', '\u007F', 'a control character'],
  ['a C1 control (NEL)', '\u0085', 'a control character'],
  ['a C1 control (CSI)', '\u009B', 'a control character'],
  ['RIGHT-TO-LEFT OVERRIDE', '\u202E', 'a bidirectional formatting character'],
  ['LEFT-TO-RIGHT EMBEDDING', '\u202A', 'a bidirectional formatting character'],
  ['POP DIRECTIONAL FORMATTING', '\u202C', 'a bidirectional formatting character'],
  ['RIGHT-TO-LEFT ISOLATE', '\u2067', 'a bidirectional formatting character'],
  ['RIGHT-TO-LEFT MARK', '\u200F', 'a bidirectional formatting character'],
  ['ARABIC LETTER MARK', '\u061C', 'a bidirectional formatting character'],
  ['ZERO WIDTH SPACE', '\u200B', 'an invisible character'],
  ['ZERO WIDTH NON-JOINER', '\u200C', 'an invisible character'],
  ['ZERO WIDTH JOINER', '\u200D', 'an invisible character'],
  ['WORD JOINER', '\u2060', 'an invisible character'],
  ['ZERO WIDTH NO-BREAK SPACE (BOM) inside', '\uFEFF', 'an invisible character'],
  ['SOFT HYPHEN', '\u00AD', 'an invisible character'],
  ['VARIATION SELECTOR-16', '\uFE0F', 'an invisible character'],
  ['HANGUL FILLER', '\u3164', 'an invisible character'],
  ['a tag character', '\u{E0041}', 'an invisible character'],
  ['LINE SEPARATOR', '\u2028', 'a line or paragraph separator'],
  ['an unpaired surrogate', '\uD800', 'half of a character (an unpaired surrogate)'],
];
/** One of each class, for the pages (a form cannot carry an unpaired surrogate: the browser sends U+FFFD). */
const REFUSED_IN_FORMS = REFUSED.filter(([label]) => ['a C0 control (BEL)', 'a C1 control (NEL)', 'RIGHT-TO-LEFT OVERRIDE', 'ZERO WIDTH SPACE', 'WORD JOINER', 'LINE SEPARATOR'].includes(label));

/** A name with the character at character 7. */
const hiding = (character: string, n: number) => `Hidden${character}Name ${n}`;
const refusal = (field: string, kind: string) => expect.stringMatching(new RegExp(`^${field.replace('.', '\\.')} must not contain ${kind.replace(/[()]/g, '\\$&')} \\(U\\+[0-9A-F]{4,5}[^)]*\\); it is character 7$`));

const ACME = 'Acme Detection Ltd';
/** Names a reader could take for ACME: Cyrillic А and с, capitals, rn for m, two spaces, full-width letters. */
const ACME_LOOKALIKES = ['\u0410\u0441me Detection Ltd', 'ACME DETECTION LTD', 'Acrne Detection Ltd', 'Acme  Detection Ltd', 'Acme Detection \uFF2C\uFF54\uFF44'];

/**
 * Names that impersonate: organization and service names holding invisible or direction-changing
 * characters are refused on every route that takes one, through the API and the pages; names are
 * stored in Unicode normal form C; an organization name that looks like another organization's, and a
 * service name that looks like another of the same provider's, are refused with a 409.
 */
describe('names that impersonate', () => {
  let t: TestApp;
  let acme: Actor;
  let owner: Actor;
  let serviceId: string;
  let counter = 0;
  const next = () => ++counter;

  beforeAll(async () => {
    t = await createTestApp();
    acme = await t.signUp({ organization: ACME });
    owner = await t.signUp({ organization: 'Naming Owner Ltd' });
    serviceId = (await createService(t, asCaller(owner), owner.organization.slug, undefined, 'Image Scanner')).id;
  });
  afterAll(() => t.close());

  const count = async (table: 'users' | 'organizations' | 'services') => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  const organizationRow = async (id: string) => (await t.sql<{ name: string; version: number }>(`SELECT name, version FROM organizations WHERE id = $1`, [id]))[0];
  const serviceRow = async (id: string) => (await t.sql<{ name: string; version: number }>(`SELECT name, version FROM services WHERE id = $1`, [id]))[0];
  const signUp = (organization: Record<string, unknown>) =>
    request(t.server).post('/api/v1/auth/signup').send({ email: `namer-${next()}@example.org`, password: PASSWORD, name: 'Nora Namer', organization: { kind: 'provider', ...organization } });

  describe('hidden characters, through the API', () => {
    it.each(REFUSED)('refuses %s in an organization name at sign-up, naming the field', async (_label, character, kind) => {
      const [users, organizations] = [await count('users'), await count('organizations')];
      const response = await signUp({ name: hiding(character, next()) }).expect(400);
      expect(response.body.details).toEqual({ 'organization.name': [refusal('name', kind)] });
      expect([await count('users'), await count('organizations')]).toEqual([users, organizations]);
    });

    it.each(REFUSED)('refuses %s when a signed-in person founds an organization or renames one', async (_label, character, kind) => {
      const organizations = await count('organizations');
      const founded = await call(t, asCaller(owner), 'post', '/api/v1/orgs').send({ name: hiding(character, next()), kind: 'provider' }).expect(400);
      expect(founded.body.details).toEqual({ name: [refusal('name', kind)] });
      expect(await count('organizations')).toBe(organizations);
      const before = await organizationRow(owner.organization.id);
      const renamed = await call(t, asCaller(owner), 'patch', orgPath(owner.organization.slug)).send({ name: hiding(character, next()), version: before.version }).expect(400);
      expect(renamed.body.details).toEqual({ name: [refusal('name', kind)] });
      expect(await organizationRow(owner.organization.id)).toEqual(before);
    });

    it.each(REFUSED)('refuses %s in a service name, new or renamed', async (_label, character, kind) => {
      const services = await count('services');
      const created = await call(t, asCaller(owner), 'post', `${orgPath(owner.organization.slug)}/services`).send({ name: hiding(character, next()), profile: {} }).expect(400);
      expect(created.body.details).toEqual({ name: [refusal('name', kind)] });
      expect(await count('services')).toBe(services);
      const before = await serviceRow(serviceId);
      const renamed = await call(t, asCaller(owner), 'patch', `${orgPath(owner.organization.slug)}/services/${serviceId}`).send({ name: hiding(character, next()), version: before.version }).expect(400);
      expect(renamed.body.details).toEqual({ name: [refusal('name', kind)] });
      expect(await serviceRow(serviceId)).toEqual(before);
    });

    it('takes the same characters in text that is no name, such as a service description', async () => {
      const created = await call(t, asCaller(owner), 'post', `${orgPath(owner.organization.slug)}/services`).send({ name: `Described ${next()}`, description: 'Line one\nשלום \u202Bעולם\u202C\u200D', profile: {} }).expect(201);
      expect(created.body.description).toBe('Line one\nשלום \u202Bעולם\u202C\u200D');
    });
  });

  describe('normal form C', () => {
    it('stores organization and service names composed, however they were typed', async () => {
      const signedUp = await signUp({ name: `Cafe\u0301 Zu\u0308rich ${next()}` }).expect(201);
      expect(signedUp.body.organization.name).toMatch(/^Caf\u00E9 Z\u00FCrich \d+$/);
      expect((await organizationRow(signedUp.body.organization.id)).name).toBe(signedUp.body.organization.name);

      const service = await call(t, asCaller(owner), 'post', `${orgPath(owner.organization.slug)}/services`).send({ name: `Ve\u0301lo Scanner ${next()}`, profile: {} }).expect(201);
      expect((await serviceRow(service.body.id)).name).toMatch(/^V\u00E9lo Scanner \d+$/);

      const before = await organizationRow(owner.organization.id);
      const renamed = await call(t, asCaller(owner), 'patch', orgPath(owner.organization.slug)).send({ name: 'A\u030Angstro\u0308m Naming', version: before.version }).expect(200);
      expect(renamed.body.name).toBe('\u00C5ngstr\u00F6m Naming');
      expect((await organizationRow(owner.organization.id)).name).toBe('\u00C5ngstr\u00F6m Naming');
    });
  });

  describe('look-alike organization names', () => {
    it.each(ACME_LOOKALIKES)('refuses %j at sign-up with a 409 that says so, creating no account', async (lookalike) => {
      const [users, organizations] = [await count('users'), await count('organizations')];
      const response = await signUp({ name: lookalike }).expect(409);
      expect(response.body.message).toMatch(/^This name looks the same as another organization's name/);
      expect(response.body.details).toEqual({ 'organization.name': ["looks the same as another organization's name (ignoring case and look-alike characters)"] });
      expect([await count('users'), await count('organizations')]).toEqual([users, organizations]);
    });

    it('refuses the Latin name once a name in look-alike Cyrillic letters holds it, and a monitoring body alike', async () => {
      await signUp({ name: '\u0405afe \u0405can Ltd' }).expect(201);
      await signUp({ name: 'Safe Scan Ltd' }).expect(409);
      await signUp({ name: '\u0410\u0441me Detection Ltd', kind: 'monitoring_body' }).expect(409);
    });

    it('refuses a look-alike when a signed-in person founds another organization', async () => {
      const response = await call(t, asCaller(owner), 'post', '/api/v1/orgs').send({ name: ACME_LOOKALIKES[0], kind: 'provider' }).expect(409);
      expect(response.body.details).toEqual({ name: ["looks the same as another organization's name (ignoring case and look-alike characters)"] });
    });

    it('refuses a rename to a look-alike of another organization, and lets an organization rename itself to a look-alike of its own name', async () => {
      const before = await organizationRow(owner.organization.id);
      for (const name of [ACME, ...ACME_LOOKALIKES]) {
        const response = await call(t, asCaller(owner), 'patch', orgPath(owner.organization.slug)).send({ name, version: before.version }).expect(409);
        expect(response.body.details).toEqual({ name: ["looks the same as another organization's name (ignoring case and look-alike characters)"] });
      }
      expect(await organizationRow(owner.organization.id)).toEqual(before);
      const own = await organizationRow(acme.organization.id);
      await call(t, asCaller(acme), 'patch', orgPath(acme.organization.slug)).send({ name: 'ACME Detection Ltd', version: own.version }).expect(200);
      await call(t, asCaller(acme), 'patch', orgPath(acme.organization.slug)).send({ name: ACME, version: own.version + 1 }).expect(200);
    });

    it('lets one of several simultaneous sign-ups with look-alike names through, and refuses the others with a 409', async () => {
      const names = ['Parallel Scan Ltd', 'Para\u04CFlel Scan Ltd', 'PARALLEL SCAN LTD', 'Para11el Scan Ltd', 'Parallel S\u0441an Ltd', 'Parallel Scan  Ltd'];
      const users = await count('users');
      const statuses = (await Promise.all(names.map((name) => signUp({ name })))).map((response) => response.status);
      expect(statuses.sort()).toEqual([201, 409, 409, 409, 409, 409]);
      expect(await count('users')).toBe(users + 1);
    });
  });

  describe('look-alike service names', () => {
    it("refuses a service name that looks like another of the same provider's, new or renamed, and names it", async () => {
      const path = `${orgPath(owner.organization.slug)}/services`;
      const lookalike = await call(t, asCaller(owner), 'post', path).send({ name: 'Image S\u0441anner', profile: {} }).expect(409);
      expect(lookalike.body.details).toEqual({ name: ['looks the same as the name of another service, Image Scanner (ignoring case and look-alike characters)'] });
      const other = await createService(t, asCaller(owner), owner.organization.slug, undefined, `Other Service ${next()}`);
      await call(t, asCaller(owner), 'patch', `${path}/${other.id}`).send({ name: 'IMAGE SCANNER', version: 1 }).expect(409);
      // Another provider may well run a service of the same name.
      await createService(t, asCaller(acme), acme.organization.slug, undefined, 'Image Scanner');
    });

    it('lets one of several simultaneous look-alike services through', async () => {
      const path = `${orgPath(owner.organization.slug)}/services`;
      const names = ['Video Matcher', 'VIDEO MATCHER', 'Video Matc\u04BBer', 'Vide\u043E Matcher'];
      const statuses = (await Promise.all(names.map((name) => call(t, asCaller(owner), 'post', path).send({ name, profile: {} })))).map((response) => response.status);
      expect(statuses.sort()).toEqual([201, 409, 409, 409]);
    });
  });

  describe('through the pages', () => {
    const browser = () => request.agent(t.server);
    let settingsVersion: () => Promise<string>;
    beforeAll(() => {
      settingsVersion = async () => String((await organizationRow(owner.organization.id)).version);
    });

    it.each(REFUSED_IN_FORMS)('shows the sign-up form again with a message at the organization name for %s', async (_label, character, kind) => {
      const person = browser();
      const csrf = csrfFrom(await open(person, '/signup'));
      const name = hiding(character, next());
      const response = await postForm(person, '/signup', { _csrf: csrf, name: 'Nora Namer', email: `form-${next()}@example.org`, password: PASSWORD, 'organization[name]': name, 'organization[kind]': 'provider' }).redirects(0);
      expect(response.status).toBe(400);
      expect(attribute(elementWithId(response.text, 'organization-name'), 'aria-invalid')).toBe('true');
      expect(messageFor(response.text, 'organization-name')).toEqual(refusal('name', kind));
    });

    it.each(REFUSED_IN_FORMS)('shows the new organization, settings and service forms again with a message at the name for %s', async (_label, character, kind) => {
      const slug = owner.organization.slug;
      const pages: Array<[form: string, action: string, fields: Record<string, string>]> = [
        ['/organizations/new', '/organizations', { kind: 'provider' }],
        [`/app/${slug}/settings`, `/app/${slug}/settings`, { version: await settingsVersion() }],
        [`/app/${slug}/services/new`, `/app/${slug}/services`, {}],
        [`/app/${slug}/services/${serviceId}/edit`, `/app/${slug}/services/${serviceId}`, { version: String((await serviceRow(serviceId)).version) }],
      ];
      for (const [form, action, fields] of pages) {
        const csrf = csrfFrom(await open(owner.agent, form));
        const response = await postForm(owner.agent, action, { _csrf: csrf, ...fields, name: hiding(character, next()) }).redirects(0);
        expect([action, response.status]).toEqual([action, 400]);
        expect(attribute(elementWithId(response.text, 'name'), 'aria-invalid')).toBe('true');
        expect(messageFor(response.text, 'name')).toEqual(refusal('name', kind));
      }
    });

    it('shows the sign-up, new organization and settings forms again with a message for a look-alike of another organization', async () => {
      const person = browser();
      const signUpForm = await postForm(person, '/signup', {
        _csrf: csrfFrom(await open(person, '/signup')),
        name: 'Nora Namer',
        email: `lookalike-${next()}@example.org`,
        password: PASSWORD,
        'organization[name]': ACME_LOOKALIKES[0],
        'organization[kind]': 'provider',
      }).redirects(0);
      expect(signUpForm.status).toBe(409);
      expect(attribute(elementWithId(signUpForm.text, 'organization-name'), 'value')).toBe(ACME_LOOKALIKES[0]);
      expect(messageFor(signUpForm.text, 'organization-name')).toBe("looks the same as another organization's name (ignoring case and look-alike characters)");

      const slug = owner.organization.slug;
      const founded = await postForm(owner.agent, '/organizations', { _csrf: csrfFrom(await open(owner.agent, '/organizations/new')), name: ACME_LOOKALIKES[1], kind: 'provider' }).redirects(0);
      expect(founded.status).toBe(409);
      expect(messageFor(founded.text, 'name')).toBe("looks the same as another organization's name (ignoring case and look-alike characters)");

      const settings = await postForm(owner.agent, `/app/${slug}/settings`, { _csrf: csrfFrom(await open(owner.agent, `/app/${slug}/settings`)), version: await settingsVersion(), name: ACME_LOOKALIKES[2] }).redirects(0);
      expect(settings.status).toBe(409);
      expect(messageFor(settings.text, 'name')).toBe("looks the same as another organization's name (ignoring case and look-alike characters)");
    });

    it('shows the service form again with a message for a look-alike of another service of the provider', async () => {
      const slug = owner.organization.slug;
      const response = await postForm(owner.agent, `/app/${slug}/services`, { _csrf: csrfFrom(await open(owner.agent, `/app/${slug}/services/new`)), name: 'Image S\u0441anner' }).redirects(0);
      expect(response.status).toBe(409);
      expect(messageFor(response.text, 'name')).toBe('looks the same as the name of another service, Image Scanner (ignoring case and look-alike characters)');
    });
  });
});
