import type TestAgent from 'supertest/lib/agent';
import { addMonths, DEFAULT_VALIDITY_MONTHS, todayUtc } from '../src/verification/validity';
import { accredit, asCaller, call, createText, nameOf, OPERATOR_ENV, orgPath, type AssessmentBody } from './support/assessment-fixtures';
import { csrfFrom, decode, flashOf, open, postForm, textOf } from './support/html';
import { Actor, createTestApp, Member, TestApp } from './support/test-app';
import { reviewTeam, SIGNATORY, submittedAssessment } from './support/verification-fixtures';

/** The requirement keys of the cards on a review page. */
function cardsOf(html: string): string[] {
  return [...html.matchAll(/<article class="requirement-card" id="req-([^"]+)">/g)].map((match) => match[1]);
}

/** One requirement's card, from its opening tag to its end. */
function cardOf(html: string, key: string): string {
  const start = html.indexOf(`<article class="requirement-card" id="req-${key}">`);
  if (start < 0) throw new Error(`No card for ${key}`);
  return html.slice(start, html.indexOf('</article>', start));
}

function hiddenVersion(form: string): string | undefined {
  return /<input type="hidden" name="version" value="(\d+)">/.exec(form)?.[1];
}

const STATEMENT = 'I have no financial, personal or professional interest in this provider.';

/** A monitoring body's review, from its queue to the register entry and its statistics, in the browser, form by form. */
describe('review pages', () => {
  let t: TestApp;
  let provider: Actor;
  let monitor: Actor;
  let lead: Member;
  let second: Member;
  let leadName: string;
  let secondName: string;
  let id: string;
  let evidenceId: string;
  let page: string;
  let changed: string;
  let rest: string[];

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Paged Provider' });
    monitor = await t.signUp({ organization: 'Paged Monitor', kind: 'monitoring_body' });
    await accredit(t, monitor);
    ({ lead, second } = await reviewTeam(t, monitor));
    leadName = await nameOf(t, lead.userId);
    secondName = await nameOf(t, second.userId);
    const submitted = await submittedAssessment(t, provider, monitor, { targetLevel: 2, serviceName: 'Paged Scanner' });
    id = submitted.assessment.id;
    evidenceId = submitted.evidence.id;
    page = `/app/${monitor.organization.slug}/reviews/${id}`;
  }, 90_000);

  afterAll(() => t?.close());

  const queue = () => `/app/${monitor.organization.slug}/reviews`;

  /** Posts one form of the review page, as `agent`, with the page's token, and returns the response. */
  async function post(agent: TestAgent, path: string, fields: Array<[string, string]>, status = 303, token?: string) {
    const csrf = token ?? csrfFrom(await open(agent, page));
    return postForm(agent, `${page}${path}`, [['_csrf', csrf], ...fields]).redirects(0).expect(status);
  }

  /** Posts a form and opens the page it redirects to. */
  async function act(agent: TestAgent, path: string, fields: Array<[string, string]> = []): Promise<string> {
    const response = await post(agent, path, fields);
    expect(response.headers.location).toMatch(new RegExp(`^${page}`));
    return open(agent, response.headers.location);
  }

  it('lists the submission in the queue, and the admin assigns two reviewers from the review page', async () => {
    const list = textOf(await open(monitor.agent, queue()));
    expect(list).toContain('Paged Provider');
    expect(list).toContain('Paged Scanner');
    expect(list).toContain('not assigned');

    const before = await open(monitor.agent, page);
    expect(textOf(before)).toContain('No reviewers are assigned yet.');
    expect(before).toContain(`<option value="${lead.userId}"`);
    const after = await act(monitor.agent, '/assign', [['lead', lead.userId], ['second', second.userId]]);
    expect(flashOf(after)).toBe(`${leadName} leads the review and ${secondName} approves its decision. Each declares any conflict of interest before opening the submission.`);
    expect(textOf(after)).toContain(`Lead reviewer: ${leadName}`);
    expect(textOf(after)).toContain('in review');

    const mine = textOf(await open(lead.agent, `${queue()}?mine=true&sort=provider&order=desc`));
    expect(mine).toContain('Paged Scanner');
    expect(mine).toContain(`${leadName} / ${secondName} (you)`);
    const others = textOf(await open(monitor.agent, `${queue()}?mine=true`));
    expect(others).toContain('No submission matches these filters.');
    const bogus = await monitor.agent.get(`${queue()}?state=bogus`).expect(400);
    expect(textOf(bogus.text)).toContain('state must be one of: draft, submitted');
    expect(bogus.text).toContain('id="filter-state-error"');
  });

  it('shows a reviewer nothing of the submission before the declaration, and everything after it', async () => {
    const closed = await open(lead.agent, page);
    expect(textOf(closed)).toContain('Your declaration of interest');
    expect(cardsOf(closed)).toEqual([]);
    expect(closed).not.toContain('How we meet');
    expect(closed).not.toContain('Licensing policy');

    const opened = await act(lead.agent, '/declaration', [['conflict', 'false'], ['statement', STATEMENT]]);
    expect(flashOf(opened)).toBe('You declared no conflict of interest; the submission is open to you.');
    expect(textOf(opened)).not.toContain('Your declaration of interest');
    expect(textOf(opened)).toContain(STATEMENT);
    [changed, ...rest] = cardsOf(opened);
    expect(rest.length).toBeGreaterThan(0);
    expect(textOf(cardOf(opened, changed))).toContain(`How we meet ${changed}.`);

    const download = `/api/v1/orgs/${monitor.organization.slug}/reviews/${id}/evidence/${evidenceId}/revisions/1/content`;
    expect(decode(cardOf(opened, changed))).toContain(`href="${download}"`);
    const content = await lead.agent.get(download).expect(200);
    expect(content.text).toContain('vetted organisations');

    await act(second.agent, '/declaration', [['conflict', 'false'], ['statement', STATEMENT]]);
  });

  it('shows the form again with the field message when a finding asks for changes without saying which', async () => {
    const response = await post(lead.agent, `/findings/${changed}`, [['verdict', 'changes_requested'], ['comment', ''], ['internalNote', 'Draft note.']], 400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const card = cardOf(response.text, changed);
    expect(textOf(card)).toContain('comment must tell the provider what is wrong when the verdict is changes_requested');
    expect(card).toContain('aria-describedby="comment-' + changed + '-error"');
    expect(card).toContain('value="changes_requested" checked');
    expect(card).toContain('Draft note.</textarea>');
    // A declaration is made once: posting it again says when it was made.
    const again = await post(lead.agent, '/declaration', [['conflict', 'false'], ['statement', STATEMENT]], 409);
    expect(textOf(again.text)).toMatch(/You declared no conflict of interest on .*; a declaration is made once and kept\./);
  });

  it('records findings with a comment and an internal note, and the lead requests changes', async () => {
    let html = await act(lead.agent, `/findings/${changed}`, [
      ['verdict', 'changes_requested'],
      ['comment', 'Name the licensing criteria.'],
      ['internalNote', 'Compare with the 2025 audit.'],
    ]);
    expect(flashOf(html)).toBe(`${changed}: changes requested, recorded for round 1.`);
    const card = textOf(cardOf(html, changed));
    expect(card).toContain('Comment to the provider: Name the licensing criteria.');
    expect(card).toContain('Internal note, only your monitoring body sees this: Compare with the 2025 audit.');
    expect(card).toContain('not sent to the provider yet');

    const stale = hiddenVersion(cardOf(html, changed))!;
    await act(lead.agent, `/findings/${changed}`, [['verdict', 'changes_requested'], ['comment', 'Name the licensing criteria.'], ['internalNote', 'Compare with the 2025 audit.'], ['version', stale]]);
    const conflict = await post(lead.agent, `/findings/${changed}`, [['verdict', 'accepted'], ['version', stale]], 409);
    expect(textOf(conflict.text)).toMatch(/Someone changed this finding at .* \(it is now changes_requested, version 2\); reload it before you change it\./);

    const token = csrfFrom(html);
    for (const key of rest) await post(lead.agent, `/findings/${key}`, [['verdict', 'accepted']], 303, token);
    html = await open(lead.agent, page);
    expect(textOf(html)).toMatch(/\d+ accepted · 1 changes requested · 0 rejected · 0 open/);

    const secondsPage = await open(second.agent, page);
    expect(secondsPage).not.toContain('Request changes from the provider');
    expect(secondsPage).not.toContain('Propose the decision');
    expect(cardOf(secondsPage, changed)).toContain('Record the finding');

    html = await act(lead.agent, '/request-changes');
    expect(flashOf(html)).toMatch(/^The findings went to the provider/);
    expect(textOf(html)).toContain('changes requested');
    expect(html).not.toContain('Record the finding');
  });

  it('shows what the provider changed in the resubmitted round, beside the earlier finding', async () => {
    const who = asCaller(provider);
    const slug = provider.organization.slug;
    const current = (await call(t, who, 'get', `${orgPath(slug)}/assessments/${id}`).expect(200)).body as AssessmentBody;
    const answer = current.answers.find((item) => item.requirementKey === changed)!;
    const criteria = await createText(t, who, slug, { title: 'Licensing criteria' });
    await call(t, who, 'put', `${orgPath(slug)}/assessments/${id}/answers/${changed}`)
      .send({ claim: 'met', statement: 'We license to vetted organisations meeting five criteria.', evidenceIds: [criteria.id], version: answer.version })
      .expect(200);
    await call(t, who, 'post', `${orgPath(slug)}/assessments/${id}/submit`).send({ signatory: SIGNATORY }).expect(200);

    const html = await open(lead.agent, page);
    expect(textOf(html)).toContain('Round 2');
    const card = textOf(cardOf(html, changed));
    expect(card).toContain('Since round 1');
    expect(card).toContain(`Statement: How we meet ${changed}. → We license to vetted organisations meeting five criteria.`);
    expect(card).toContain('Evidence added: Licensing criteria');
    expect(card).toContain('Evidence removed: Licensing policy');
    expect(card).toContain('Finding in round 1 Changes requested');
    expect(card).toContain('Name the licensing criteria.');
    const untouched = textOf(cardOf(html, rest[0]));
    expect(untouched).toContain('Unchanged since round 1.');
    expect(untouched).toContain('standing: Accepted');
    expect(textOf(html)).toContain('No level is earned yet.');
  });

  it('accepts the change, the lead proposes verification, and only the second reviewer can approve it', async () => {
    // One section at a time: its cards only, and its forms come back to it.
    const all = await open(lead.agent, page);
    const section = decode(/href="[^"]*\?section=([^"#]+)"/.exec(all)![1]);
    const one = await open(lead.agent, `${page}?section=${section}`);
    expect(cardsOf(one)).toContain(changed);
    expect(cardsOf(one).length).toBeLessThan(cardsOf(all).length);
    const accepted = await post(lead.agent, `/findings/${changed}?section=${section}`, [['verdict', 'accepted'], ['comment', ''], ['internalNote', '']]);
    expect(accepted.headers.location).toBe(`${page}?section=${section}#req-${changed}`);
    let html = await open(lead.agent, accepted.headers.location);
    expect(flashOf(html)).toBe(`${changed}: accepted, recorded for round 2.`);
    expect(decode(cardOf(html, changed))).toContain(`action="${page}/findings/${changed}?section=${section}"`);
    const summary = await act(lead.agent, `/sections/${section}/summary`, [['publicSummary', 'The purpose is stated, approved and limited to CSEA.']]);
    expect(flashOf(summary)).toBe(`The public summary of ${section} is saved; the register shows it once the assessment is verified.`);
    expect(textOf(summary)).toContain('The purpose is stated, approved and limited to CSEA.');
    html = await open(lead.agent, page);
    const thisRound = textOf(cardOf(html, changed)).split('Finding in this round')[1];
    expect(thisRound).toMatch(/^ Accepted by /);
    expect(thisRound).not.toContain('Internal note, only your monitoring body sees this');
    expect(textOf(html)).toMatch(/Earned: level 2 \(.+\) ?, every requirement of that level and below is accepted\./);
    const validUntil = addMonths(todayUtc(), DEFAULT_VALIDITY_MONTHS);
    expect(html).toContain(`name="validUntil" value="${validUntil}"`);
    expect(html).toMatch(/<option value="2" selected>Level 2/);

    html = await act(lead.agent, '/decision', [['outcome', 'verified'], ['level', '2'], ['validUntil', validUntil], ['conditions', ''], ['publicSummary', 'Meets the code at level 2.']]);
    expect(flashOf(html)).toBe(`You proposed verification at level 2 until ${validUntil}. It is final once the second reviewer approves it.`);
    expect(textOf(html)).toContain('Waiting for approval');
    expect(html).not.toContain('Approve the decision');
    expect(html).not.toContain('Record the finding');

    // Someone who is not the second reviewer is sent back to the review with the reason, not to an error page.
    const refused = await post(lead.agent, '/decision/approve', []);
    expect(flashOf(await open(lead.agent, refused.headers.location))).toBe('Only the second reviewer can do this on this assessment.');

    const bystander = await t.addMember(monitor, 'reviewer');
    const bystanderPage = await act(bystander.agent, '/declaration', [['conflict', 'false'], ['statement', STATEMENT]]);
    expect(textOf(bystanderPage)).toContain('Waiting for approval');
    expect(bystanderPage).not.toContain('Approve the decision');
    expect(bystanderPage).not.toContain('Return the decision');

    const secondsPage = await open(second.agent, page);
    expect(secondsPage).toContain('Approve the decision');
    html = await act(second.agent, '/decision/approve');
    const verificationId = /Approved: verification (\d{4}-L2-\d{4}), level 2/.exec(flashOf(html) ?? '')?.[1];
    expect(verificationId).toBeDefined();
    expect(textOf(html)).toContain(`Verification ${verificationId}`);
    expect(textOf(html)).toContain(`Valid until ${validUntil}`);
  });

  it('lets the admin suspend with a public reason and reinstate; reviewers see no such forms', async () => {
    expect(await open(lead.agent, page)).not.toContain('Suspend the verification');
    let html = await open(monitor.agent, page);
    expect(textOf(html)).toContain('This is final. A revoked verification cannot be reinstated');

    const empty = await post(monitor.agent, '/suspend', [['reason', '']], 400);
    expect(textOf(empty.text)).toContain('reason must say why');

    html = await act(monitor.agent, '/suspend', [['reason', 'Complaint under investigation.']]);
    expect(flashOf(html)).toMatch(/^Verification \d{4}-L2-\d{4} is suspended/);
    expect(textOf(html)).toContain('Status suspended');
    expect(html).toContain('Reinstate the verification');
    expect(html).not.toContain('Suspend the verification');

    html = await act(monitor.agent, '/reinstate', [['reason', '']]);
    expect(flashOf(html)).toMatch(/^Verification \d{4}-L2-\d{4} is reinstated/);
    expect(textOf(html)).toContain('Status verified');
  });

  it('reports the period’s statistics, with CSV and JSON downloads, to admins only', async () => {
    const html = await open(monitor.agent, `/app/${monitor.organization.slug}/reports`);
    const text = textOf(html);
    expect(text).toContain('Decisions verified 1');
    expect(text).toContain('Decisions verified at level 2 1');
    expect(text).toContain('Submissions resubmissions 1');
    expect(text).toContain('Suspensions all 1');
    expect(text).toContain('Reinstatements all 1');
    const csv = decode(/<a href="([^"]+)" download>Download CSV<\/a>/.exec(html)![1]);
    expect(csv).toMatch(new RegExp(`^/api/v1/orgs/${monitor.organization.slug}/reports\\.csv\\?from=\\d{4}-\\d{2}-\\d{2}&to=${todayUtc()}$`));
    const file = await monitor.agent.get(csv).expect(200);
    expect(file.text).toContain('decisions,outcome=verified,1');

    await lead.agent.get(`/app/${monitor.organization.slug}/reports`).expect(403);
    const backwards = await monitor.agent.get(`/app/${monitor.organization.slug}/reports?from=2026-02-01&to=2026-01-01`).expect(400);
    expect(textOf(backwards.text)).toContain('from must not be after to');
    expect(backwards.text).toContain('value="2026-02-01"');
  });

  it('answers 404 to a member of another monitoring body', async () => {
    const other = await t.signUp({ organization: 'Other Monitor', kind: 'monitoring_body' });
    await open(other.agent, `/app/${other.organization.slug}/reviews/${id}`, 404);
    await open(other.agent, page, 404);
    expect(textOf(await open(other.agent, `/app/${other.organization.slug}/reviews?state=all`))).not.toContain('Paged Scanner');
  });
});
