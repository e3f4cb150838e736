import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { OPERATOR_ENV } from './support/assessment-fixtures';
import { complaintId, fileComplaint, newClient } from './support/complaint-fixtures';
import { csrfFrom, elementWithId, flashOf, messageFor, open, postForm, textOf, unlabelledControls } from './support/html';
import { monitoringBody, verifiedAssessment, type RegisterRow, type Team } from './support/review-fixtures';
import { Actor, createTestApp, TestApp } from './support/test-app';

const PER_HOUR = 2;

/** The complaint pages: the public's form, receipt and follow page, and the monitoring body's list and detail. */
describe('complaint pages', () => {
  let t: TestApp;
  let provider: Actor;
  let team: Team;
  let stranger: Team;
  let entry: RegisterRow;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, COMPLAINTS_PER_HOUR: String(PER_HOUR), NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Paged Provider' });
    team = await monitoringBody(t, 'Paged Monitor');
    stranger = await monitoringBody(t, 'Other Paged Monitor');
    entry = (await verifiedAssessment(t, provider, team)).entry;
  }, 120_000);
  afterAll(() => t.close());

  /** A visitor without an account, coming from a network of its own. */
  function visitor(): { agent: TestAgent; client: string } {
    const client = newClient();
    return { agent: request.agent(t.server).set('X-Forwarded-For', client), client };
  }

  /** Fills in and sends the complaint form as a browser does, and checks the answer's status. */
  async function fileByForm(agent: TestAgent, fields: Record<string, string>, status: number) {
    const form = await open(agent, `/register/${entry.id}/complaints/new`);
    return postForm(agent, `/register/${entry.id}/complaints`, { _csrf: csrfFrom(form), ...fields }).expect(status);
  }

  /** The message under a field (a textarea as well as an input or select): the `<small>` it points to. */
  const problemOf = (html: string, id: string) => {
    const match = new RegExp(`<small id="${id}-error">([\\s\\S]*?)</small>`).exec(html);
    return match ? textOf(match[1]) : undefined;
  };

  const receiptOf = (html: string) => ({
    reference: textOf(/<code id="complaint-reference">([^<]+)<\/code>/.exec(html)![1]),
    secret: textOf(/<code class="token" id="complaint-secret">([^<]+)<\/code>/.exec(html)![1]),
  });

  async function follow(agent: TestAgent, reference: string, secret: string, status = 200) {
    const form = await open(agent, '/register/complaints/follow');
    const response = await postForm(agent, '/register/complaints/follow', { _csrf: csrfFrom(form), reference, secret }).expect(status);
    return response.text;
  }

  it('files a complaint with the form, shows the reference and secret once, and follows it', async () => {
    const { agent } = visitor();
    const form = await open(agent, `/register/${entry.id}/complaints/new`);
    expect(unlabelledControls(form)).toEqual([]);
    const text = textOf(form);
    expect(text).toContain(`Complain about this entry Paged Provider · `);
    expect(text).toContain('If a child is in danger now, call the police or the emergency services.');
    expect(text).toContain('Only if you want to hear how your complaint is handled');
    expect(form).toContain('<option value="privacy_concern">A privacy or data protection concern</option>');
    expect(form).toContain('<option value="child_safety_concern">A child safety concern</option>');
    expect(elementWithId(form, 'complaint-email')).toContain('type="email"');
    expect(form).not.toContain('type="checkbox"');

    const response = await postForm(agent, `/register/${entry.id}/complaints`, {
      _csrf: csrfFrom(form),
      category: 'misleading_use',
      text: 'The provider shows the badge on a product that was never verified.',
      email: 'reader@example.net',
    }).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const receipt = receiptOf(response.text);
    expect(receipt.reference).toMatch(/^C-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(textOf(response.text)).toContain('Keep the reference and the secret below');
    expect(textOf(response.text)).toContain('We will also write to the e-mail address you gave');

    const followed = textOf(await follow(agent, receipt.reference, receipt.secret));
    expect(followed).toContain(`Complaint ${receipt.reference} Received · The verification is claimed or used in a misleading way`);
    expect(followed).toContain('The provider shows the badge on a product that was never verified.');
    expect(followed).toContain('has received your complaint and not yet started on it');
    expect(await t.sql(`SELECT category, email FROM complaints WHERE reference = $1`, [receipt.reference])).toEqual([{ category: 'misleading_use', email: 'reader@example.net' }]);
  });

  it('shows the form again with a message beside each field it refuses', async () => {
    const { agent } = visitor();
    const response = await fileByForm(agent, { category: '', text: '   ', email: 'nobody' }, 400);
    expect(messageFor(response.text, 'complaint-category')).toContain('category must be one of');
    expect(problemOf(response.text, 'complaint-text')).toBe('text must say what the complaint is about');
    expect(messageFor(response.text, 'complaint-email')).toContain('email must be an e-mail address');
    expect(response.text).toContain('value="nobody"');
    expect(await t.sql(`SELECT count(*)::int AS n FROM complaints WHERE email = 'nobody'`)).toEqual([{ n: 0 }]);
  });

  it('refuses a form without its token', async () => {
    const { agent } = visitor();
    await open(agent, `/register/${entry.id}/complaints/new`);
    const response = await postForm(agent, `/register/${entry.id}/complaints`, { category: 'other', text: 'No token.' }).expect(403);
    expect(textOf(response.text)).toContain('The form has expired or did not come from this site');
  });

  it('answers 404 for an entry that does not exist', async () => {
    const { agent } = visitor();
    await open(agent, '/register/00000000-0000-4000-8000-000000000000/complaints/new', 404);
    await open(agent, '/register/nothing/complaints/new', 404);
  });

  it('says, on the form, when the client may complain again', async () => {
    const { agent } = visitor();
    for (let index = 0; index < PER_HOUR; index += 1) await fileByForm(agent, { category: 'other', text: `Form complaint ${index}.` }, 200);
    const refused = await fileByForm(agent, { category: 'other', text: 'One too many.' }, 429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3_500);
    expect(flashOf(refused.text)).toMatch(/^You have filed 2 complaints within the past hour, as many as one network may\. Try again after .+\.$/);
    expect(refused.text).toContain('One too many.');
  });

  it('answers a wrong reference or secret on the follow page with the form and one message, and keeps the secret out of the page', async () => {
    const { agent } = visitor();
    const filed = await fileComplaint(t, entry.id);
    const wrong = await follow(agent, filed.reference, 'not the secret', 404);
    expect(flashOf(wrong)).toBe('No complaint matches this reference and secret. Check both as they were shown when you filed it.');
    expect(wrong).toContain(`value="${filed.reference}"`);
    expect(wrong).not.toContain('not the secret');
    const unknown = await follow(agent, 'C-0000-0000', filed.secret, 404);
    expect(flashOf(unknown)).toBe(flashOf(wrong));
    expect(unknown).not.toContain(filed.secret);
  });

  describe('for the monitoring body', () => {
    const pages = (monitor: Actor) => `/app/${monitor.organization.slug}/complaints`;

    it('lists its complaints, shows one with its text and address, and dismisses it with the form', async () => {
      const { agent } = visitor();
      const filed = receiptOf((await fileByForm(agent, { category: 'inaccurate_information', text: 'The country shown is wrong.', email: 'pages@example.net' }, 200)).text);
      const id = await complaintId(t, filed.reference);
      const admin = team.monitor.agent;

      const overview = await open(admin, `/app/${team.monitor.organization.slug}`);
      expect(overview).toContain(`<a href="${pages(team.monitor)}">Complaints</a>`);
      const list = await open(admin, `${pages(team.monitor)}?status=received`);
      expect(list).toContain(`<a href="${pages(team.monitor)}/${id}"><code>${filed.reference}</code></a>`);
      expect(textOf(list)).toContain('The register shows inaccurate information');
      const invalidFilter = await open(admin, `${pages(team.monitor)}?status=closed`, 400);
      expect(messageFor(invalidFilter, 'filter-status')).toContain('status must be one of');

      const detail = await open(admin, `${pages(team.monitor)}/${id}`);
      expect(unlabelledControls(detail)).toEqual([]);
      expect(textOf(detail)).toContain('The country shown is wrong.');
      expect(detail).toContain('mailto:pages@example.net');
      expect(detail).toContain('<option value="investigating" selected>Under investigation</option>');
      expect(detail).toContain('<option value="suspend">Suspend the verification</option>');

      // Dismissing needs a public outcome: the form comes back with the message and what was typed.
      const incomplete = await postForm(admin, `${pages(team.monitor)}/${id}/status`, { _csrf: csrfFrom(detail), status: 'dismissed', publicOutcome: '', action: '', reason: '', version: '1' }).expect(400);
      expect(problemOf(incomplete.text, 'complaint-outcome')).toContain('publicOutcome is required to mark a complaint dismissed');
      expect(incomplete.text).toContain('<option value="dismissed" selected>Dismissed</option>');

      const dismissed = await postForm(admin, `${pages(team.monitor)}/${id}/status`, {
        _csrf: csrfFrom(detail),
        status: 'dismissed',
        publicOutcome: 'The country is the one in the provider’s registration.',
        action: '',
        reason: '',
        version: '1',
      })
        .redirects(0)
        .expect(303);
      expect(dismissed.headers.location).toBe(`${pages(team.monitor)}/${id}`);
      const after = await open(admin, `${pages(team.monitor)}/${id}`);
      expect(flashOf(after)).toBe(`Complaint ${filed.reference} is dismissed. The complainant is told by e-mail.`);
      expect(textOf(after)).toContain('Public outcome');
      expect(after).not.toContain('Handle the complaint');

      const followed = textOf(await follow(agent, filed.reference, filed.secret));
      expect(followed).toContain('Dismissed');
      expect(followed).toContain('The country is the one in the provider’s registration.');
      expect(await t.sql(`SELECT status FROM register_entries WHERE id = $1`, [entry.id])).toEqual([{ status: 'verified' }]);
    });

    it('upholds with a suspension from the form, and the page names the register event', async () => {
      const other = await verifiedAssessment(t, provider, team);
      const filed = await fileComplaint(t, other.entry.id);
      const id = await complaintId(t, filed.reference);
      const admin = team.monitor.agent;
      const detail = await open(admin, `${pages(team.monitor)}/${id}`);
      await postForm(admin, `${pages(team.monitor)}/${id}/status`, { _csrf: csrfFrom(detail), status: 'upheld', publicOutcome: 'Confirmed by our audit.', action: 'suspend', reason: '', version: '1' })
        .redirects(0)
        .expect(303);
      const after = await open(admin, `${pages(team.monitor)}/${id}`);
      expect(flashOf(after)).toBe(`Complaint ${filed.reference} is upheld. Verification ${other.verificationId} is suspended, with the reason in the register.`);
      expect(textOf(after)).toContain(`It led to: verification ${other.verificationId} suspended`);
      expect(await t.sql(`SELECT status FROM register_entries WHERE id = $1`, [other.entry.id])).toEqual([{ status: 'suspended' }]);
    }, 60_000);

    it('a stale form is refused with 409 and shown again with the current state', async () => {
      const filed = await fileComplaint(t, entry.id);
      const id = await complaintId(t, filed.reference);
      const admin = team.monitor.agent;
      const detail = await open(admin, `${pages(team.monitor)}/${id}`);
      await postForm(admin, `${pages(team.monitor)}/${id}/status`, { _csrf: csrfFrom(detail), status: 'investigating', publicOutcome: '', action: '', reason: '', version: '1' }).redirects(0).expect(303);
      await open(admin, `${pages(team.monitor)}/${id}`);
      // The form as it was loaded before that change.
      const stale = await postForm(admin, `${pages(team.monitor)}/${id}/status`, { _csrf: csrfFrom(detail), status: 'dismissed', publicOutcome: 'Late.', action: '', reason: '', version: '1' }).expect(409);
      expect(flashOf(stale.text)).toMatch(/^Someone changed this complaint at .* \(it is now under investigation, version 2\)/);
      expect(stale.text).toContain('<input type="hidden" name="version" value="2">');
      expect(stale.text).toContain('Late.');
    });

    it('a reviewer reads without the form; another monitoring body and a provider find nothing', async () => {
      const filed = await fileComplaint(t, entry.id);
      const id = await complaintId(t, filed.reference);
      const reviewerPage = await open(team.lead.agent, `${pages(team.monitor)}/${id}`);
      expect(textOf(reviewerPage)).toContain(filed.reference);
      expect(reviewerPage).not.toContain('Handle the complaint');
      const refused = await postForm(team.lead.agent, `${pages(team.monitor)}/${id}/status`, { _csrf: csrfFrom(reviewerPage), status: 'investigating', version: '1' });
      expect(refused.status).toBe(403);

      await open(stranger.monitor.agent, pages(team.monitor), 404);
      await open(stranger.monitor.agent, `${pages(team.monitor)}/${id}`, 404);
      await open(stranger.monitor.agent, `${pages(stranger.monitor)}/${id}`, 404);
      const strangerPage = await open(stranger.monitor.agent, pages(stranger.monitor));
      expect(strangerPage).not.toContain(filed.reference);
      await open(provider.agent, `${pages(team.monitor)}/${id}`, 404);
      await open(provider.agent, pages(provider), 403);
      const providerOverview = await open(provider.agent, `/app/${provider.organization.slug}`);
      expect(providerOverview).not.toContain('/complaints"');
      const signedOut = await request(t.server).get(`${pages(team.monitor)}/${id}`).redirects(0).expect(303);
      expect(signedOut.headers.location).toBe(`/signin?next=${encodeURIComponent(`${pages(team.monitor)}/${id}`)}`);
      expect(await t.sql(`SELECT status FROM complaints WHERE id = $1`, [id])).toEqual([{ status: 'received' }]);
    });
  });
});
