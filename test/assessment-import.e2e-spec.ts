import { parse as parseCsv } from 'csv-parse/sync';
import {
  accredit,
  AssessmentBody,
  asCaller,
  call,
  Caller,
  CHILD_DIRECTED,
  CODE,
  createLink,
  createService,
  createText,
  createToken,
  getAssessment,
  NOT_CHILD_DIRECTED,
  OPERATOR_ENV,
  orgPath,
  saveAnswer,
  startAssessment,
  UNKNOWN_ID,
  VERSION,
} from './support/assessment-fixtures';
import { Actor, createTestApp, Member, TestApp } from './support/test-app';

const COLUMNS = ['section', 'requirement_key', 'requirement_title', 'claim', 'statement', 'justification', 'evidence_ids', 'version'];
type Row = Record<(typeof COLUMNS)[number], string>;

/** A CSV file from rows, quoting every cell as a spreadsheet would when it must. */
function toCsv(rows: Row[], columns: readonly string[] = COLUMNS): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [columns.join(','), ...rows.map((row) => columns.map((column) => cell(row[column] ?? '')).join(','))].join('\r\n') + '\r\n';
}

describe('assessment export and import', () => {
  let t: TestApp;
  let owner: Actor;
  let editor: Member;
  let other: Actor;
  let monitor: Actor;
  let ownerCaller: Caller;
  let editorCaller: Caller;
  let editorName: string;

  // Booting the application and signing everyone up takes a while on a busy machine.
  beforeAll(async () => {
    t = await createTestApp(OPERATOR_ENV);
    owner = await t.signUp({ organization: 'Importing Provider' });
    other = await t.signUp({ organization: 'Other Importer' });
    monitor = await t.signUp({ organization: 'Import Monitor', kind: 'monitoring_body' });
    editor = await t.addMember(owner, 'editor');
    await accredit(t, monitor);
    ownerCaller = asCaller(owner);
    editorCaller = asCaller(editor);
    editorName = (await t.sql<{ name: string }>('SELECT name FROM users WHERE id = $1', [editor.userId]))[0].name;
  }, 90_000);
  afterAll(() => t.close());

  const slug = () => owner.organization.slug;
  const assessmentPath = (id: string) => `${orgPath(slug())}/assessments/${id}`;
  const start = async (profile: Record<string, unknown> = CHILD_DIRECTED, extra: { copyFrom?: string; version?: string; serviceId?: string } = {}) =>
    startAssessment(t, ownerCaller, slug(), { serviceId: extra.serviceId ?? (await createService(t, ownerCaller, slug(), profile)).id, monitoringBody: monitor.organization.slug, ...extra });
  const read = (id: string) => getAssessment(t, ownerCaller, slug(), id);
  const answerOf = (assessment: AssessmentBody, key: string) => assessment.answers.find((answer) => answer.requirementKey === key)!;
  const exportCsv = async (id: string, who: Caller = ownerCaller) => {
    const response = await call(t, who, 'get', `${assessmentPath(id)}/export.csv`).buffer(true).expect(200);
    return { text: response.text, rows: parseCsv(response.text, { columns: true }) as Row[], headers: response.headers };
  };
  const importCsv = (id: string, csv: string, who: Caller = ownerCaller, contentType = 'text/csv') => call(t, who, 'post', `${assessmentPath(id)}/import`).set('Content-Type', contentType).send(csv);
  const answerRows = (id: string) =>
    t.sql<{ requirement_key: string; claim: string | null; statement: string | null; justification: string | null; version: number }>(
      'SELECT requirement_key, claim, statement, justification, version FROM answers WHERE assessment_id = $1 ORDER BY position',
      [id],
    );
  const linksOf = async (id: string) =>
    (
      await t.sql<{ requirement_key: string; evidence_id: string }>(
        'SELECT a.requirement_key, l.evidence_id FROM answer_evidence l JOIN answers a ON a.id = l.answer_id WHERE a.assessment_id = $1 ORDER BY 1, 2',
        [id],
      )
    ).map((row) => `${row.requirement_key} ${row.evidence_id}`);

  describe('export', () => {
    it('exports the assessment as JSON, as an attachment', async () => {
      const assessment = await start();
      await saveAnswer(t, ownerCaller, slug(), assessment.id, assessment.answers[0].requirementKey, 1, { claim: 'met', statement: 'Exported.' });
      const response = await call(t, ownerCaller, 'get', `${assessmentPath(assessment.id)}/export.json`).expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="?assessment-${assessment.id}\\.json"?$`));
      expect(response.body).toEqual(await read(assessment.id));
    });

    it('exports one CSV row per answer with the documented columns, evidence ids separated by spaces', async () => {
      const assessment = await start();
      const link = await createLink(t, ownerCaller, slug());
      const text = await createText(t, ownerCaller, slug());
      const [first, second, third] = assessment.answers;
      await saveAnswer(t, ownerCaller, slug(), assessment.id, first.requirementKey, 1, { claim: 'met', statement: 'Line one,\n"line two".', evidenceIds: [link.id, text.id] });
      await saveAnswer(t, ownerCaller, slug(), assessment.id, second.requirementKey, 1, { claim: 'not_applicable', justification: 'We do not develop tools.' });
      const { text: csv, rows, headers } = await exportCsv(assessment.id);
      expect(headers['content-type']).toMatch(/^text\/csv/);
      expect(headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="?assessment-${assessment.id}\\.csv"?$`));
      expect(csv.split(/\r?\n/)[0].replace(/"/g, '')).toBe(COLUMNS.join(','));
      expect(rows.map((row) => row.requirement_key)).toEqual(assessment.answers.map((answer) => answer.requirementKey));
      expect(rows[0]).toEqual({
        section: first.section,
        requirement_key: first.requirementKey,
        requirement_title: first.title,
        claim: 'met',
        statement: 'Line one,\n"line two".',
        justification: '',
        evidence_ids: expect.any(String),
        version: '2',
      });
      expect(rows[0].evidence_ids.split(' ').sort()).toEqual([link.id, text.id].sort());
      expect(rows[1]).toMatchObject({ claim: 'not_applicable', statement: '', justification: 'We do not develop tools.', evidence_ids: '', version: '2' });
      expect(rows[2]).toMatchObject({ requirement_key: third.requirementKey, claim: '', statement: '', justification: '', evidence_ids: '', version: '1' });
    });

    it('defuses cells that a spreadsheet would run as formulas with a leading apostrophe', async () => {
      const assessment = await start();
      const values = ['=HYPERLINK("https://evil.example/","click")', '+1 more reviewer', '-5 % fewer reports', '@SUM(A1:A9)'];
      for (const [index, value] of values.entries()) {
        await saveAnswer(t, ownerCaller, slug(), assessment.id, assessment.answers[index].requirementKey, 1, { claim: 'not_applicable', statement: value, justification: value });
      }
      const { rows } = await exportCsv(assessment.id);
      for (const [index, value] of values.entries()) {
        expect(rows[index]).toMatchObject({ statement: `'${value}`, justification: `'${value}` });
      }
      for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@]/);
      // Read back, the apostrophes go again: nothing changed.
      const report = await importCsv(assessment.id, toCsv(rows)).expect(200);
      expect(report.body.applied).toEqual([]);
      expect(report.body.rejected).toEqual([]);
      expect((await answerRows(assessment.id)).slice(0, 4).map((row) => row.statement)).toEqual(values);
    });
  });

  describe('import', () => {
    it('reports every row unchanged when the export is imported as it is, and changes nothing', async () => {
      const assessment = await start();
      const link = await createLink(t, ownerCaller, slug());
      const [a, b, c] = assessment.answers;
      await saveAnswer(t, ownerCaller, slug(), assessment.id, a.requirementKey, 1, { claim: 'met', statement: 'With, commas and "quotes"', evidenceIds: [link.id] });
      await saveAnswer(t, ownerCaller, slug(), assessment.id, b.requirementKey, 1, { claim: 'not_applicable', justification: 'Ünïcödé justification 😀' });
      await saveAnswer(t, ownerCaller, slug(), assessment.id, c.requirementKey, 1, { claim: 'partially_met', statement: 'Two\r\nlines' });
      const before = await answerRows(assessment.id);
      const links = await linksOf(assessment.id);
      const { text } = await exportCsv(assessment.id);
      const response = await importCsv(assessment.id, text).expect(200);
      expect(response.body).toEqual({
        applied: [],
        unchanged: assessment.answers.map((answer) => ({ row: expect.any(Number), requirementKey: answer.requirementKey })),
        rejected: [],
        counts: { applied: 0, unchanged: assessment.answers.length, rejected: 0 },
      });
      expect(await answerRows(assessment.id)).toEqual(before);
      expect(await linksOf(assessment.id)).toEqual(links);
      expect(await t.sql(`SELECT id FROM audit_events WHERE target_id = $1 AND action = 'answers.imported'`, [assessment.id])).toEqual([]);
    });

    it('applies good rows and rejects bad ones, each with its row and problems', async () => {
      const assessment = await start();
      const mine = await createLink(t, ownerCaller, slug(), { title: 'Our certificate' });
      const theirs = await createLink(t, asCaller(other), other.organization.slug, { title: 'Their certificate' });
      const keys = assessment.answers.map((answer) => answer.requirementKey);
      await saveAnswer(t, ownerCaller, slug(), assessment.id, keys[5], 1, { claim: 'met', statement: 'Before the export.' });
      const { rows } = await exportCsv(assessment.id);
      // After the export, the editor changes an answer the file also changes.
      await saveAnswer(t, editorCaller, slug(), assessment.id, keys[5], 2, { claim: 'not_met', statement: 'Changed by the editor.' });

      const edit = (key: string, changes: Partial<Row>) => Object.assign(rows.find((row) => row.requirement_key === key)!, changes);
      edit(keys[0], { claim: 'met', statement: 'Imported statement.', evidence_ids: mine.id });
      edit(keys[1], { claim: 'not_applicable', justification: 'Imported justification.' });
      edit(keys[2], { claim: 'mostly', statement: 'Bad claim.' });
      edit(keys[3], { claim: 'met', evidence_ids: theirs.id });
      edit(keys[4], { claim: 'met', evidence_ids: `${mine.id} ${UNKNOWN_ID}` });
      edit(keys[5], { claim: 'partially_met', statement: 'Changed in the file.' });
      edit(keys[6], { claim: 'met', version: 'one' });
      const extra: Row[] = [
        { ...rows[0], claim: 'not_met', statement: 'The same key again.' },
        { ...rows[0], requirement_key: 'XYZ-99', requirement_title: 'Invented' },
      ];
      const file = [...rows, ...extra];
      // Line 1 is the header; the first data row is row 2.
      const rowOf = (index: number) => index + 2;
      const indexOf = (key: string) => file.findIndex((row) => row.requirement_key === key);
      const before = new Map((await answerRows(assessment.id)).map((row) => [row.requirement_key, row]));

      const response = await importCsv(assessment.id, toCsv(file)).expect(200);
      expect(response.body.applied).toEqual([
        { row: rowOf(0), requirementKey: keys[0], version: 2 },
        { row: rowOf(1), requirementKey: keys[1], version: 2 },
      ]);
      expect(response.body.rejected).toEqual([
        { row: rowOf(2), requirementKey: keys[2], problems: [expect.stringContaining('claim')] },
        { row: rowOf(3), requirementKey: keys[3], problems: [expect.stringContaining(theirs.id)] },
        { row: rowOf(4), requirementKey: keys[4], problems: [expect.stringContaining(UNKNOWN_ID)] },
        { row: rowOf(5), requirementKey: keys[5], problems: [expect.stringContaining(editorName)] },
        { row: rowOf(6), requirementKey: keys[6], problems: expect.arrayContaining([expect.stringContaining('version')]) },
        { row: rowOf(rows.length), requirementKey: keys[0], problems: [expect.stringContaining('more than once')] },
        { row: rowOf(rows.length + 1), requirementKey: 'XYZ-99', problems: [expect.stringContaining('XYZ-99')] },
      ]);
      expect(JSON.stringify(response.body)).not.toContain('Their certificate');
      const untouched = keys.slice(7);
      expect(response.body.unchanged).toEqual(untouched.map((key) => ({ row: rowOf(indexOf(key)), requirementKey: key })));

      const after = new Map((await answerRows(assessment.id)).map((row) => [row.requirement_key, row]));
      expect(after.get(keys[0])).toMatchObject({ claim: 'met', statement: 'Imported statement.', version: 2 });
      expect(after.get(keys[1])).toMatchObject({ claim: 'not_applicable', justification: 'Imported justification.', version: 2 });
      for (const key of [...keys.slice(2, 5), keys[6], ...untouched]) expect(after.get(key)).toEqual(before.get(key));
      expect(after.get(keys[5])).toMatchObject({ claim: 'not_met', statement: 'Changed by the editor.', version: 3 });
      expect(await linksOf(assessment.id)).toEqual([`${keys[0]} ${mine.id}`]);
      const detail = await read(assessment.id);
      expect(answerOf(detail, keys[0])).toMatchObject({ updatedBy: owner.user.name, evidence: [expect.objectContaining({ id: mine.id })] });
      // One event for the import, naming every answer it applied.
      const audit = await t.sql<{ data: { answers: Array<{ requirementKey: string }> } }>(`SELECT data FROM audit_events WHERE target_id = $1 AND action = 'answers.imported' ORDER BY id`, [assessment.id]);
      expect(audit.map((event) => event.data.answers.map((answer) => answer.requirementKey))).toEqual([[keys[0], keys[1]]]);
    });

    it('rejects a repeated key even when its first row was rejected, rather than applying the repeat', async () => {
      const assessment = await start();
      const key = assessment.answers[0].requirementKey;
      const csv = `requirement_key,claim,statement,justification,evidence_ids,version\n${key},mostly,First row.,,,1\n${key},met,Second row.,,,1\n`;
      const response = await importCsv(assessment.id, csv).expect(200);
      expect(response.body).toEqual({
        applied: [],
        unchanged: [],
        rejected: [
          { row: 2, requirementKey: key, problems: [expect.stringContaining('claim')] },
          { row: 3, requirementKey: key, problems: [expect.stringContaining('more than once')] },
        ],
        counts: { applied: 0, unchanged: 0, rejected: 2 },
      });
      expect(answerOf(await read(assessment.id), key)).toMatchObject({ claim: null, version: 1 });
    });

    it('reads a file with only the columns it needs, in any order, with a byte-order mark', async () => {
      const assessment = await start();
      const key = assessment.answers[0].requirementKey;
      const csv = `\uFEFFversion,claim,requirement_key,statement,justification,evidence_ids\n1,met,${key},Minimal file.,,\n`;
      const response = await importCsv(assessment.id, csv).expect(200);
      expect(response.body).toEqual({ applied: [{ row: 2, requirementKey: key, version: 2 }], unchanged: [], rejected: [], counts: { applied: 1, unchanged: 0, rejected: 0 } });
      expect(answerOf(await read(assessment.id), key)).toMatchObject({ claim: 'met', statement: 'Minimal file.' });
    });

    it('numbers rows as a spreadsheet does, even when a cell spans several lines', async () => {
      const assessment = await start();
      const [a, b] = assessment.answers.map((answer) => answer.requirementKey);
      const csv = toCsv([
        { section: '', requirement_key: a, requirement_title: '', claim: 'mostly', statement: 'First paragraph.\nSecond paragraph.', justification: '', evidence_ids: '', version: '1' },
        { section: '', requirement_key: b, requirement_title: '', claim: 'met', statement: 'One line.', justification: '', evidence_ids: '', version: '1' },
      ]);
      const response = await importCsv(assessment.id, csv).expect(200);
      expect(response.body.rejected).toEqual([{ row: 2, requirementKey: a, problems: [expect.stringContaining('claim')] }]);
      expect(response.body.applied).toEqual([{ row: 3, requirementKey: b, version: 2 }]);
    });

    it('keeps a statement that itself begins with an apostrophe and an equals sign through a round trip', async () => {
      const assessment = await start();
      const key = assessment.answers[0].requirementKey;
      const statement = "'=' marks our internal references";
      await saveAnswer(t, ownerCaller, slug(), assessment.id, key, 1, { claim: 'met', statement });
      const { text } = await exportCsv(assessment.id);
      const response = await importCsv(assessment.id, text).expect(200);
      expect(response.body.applied).toEqual([]);
      expect((await answerRows(assessment.id))[0]).toMatchObject({ statement, version: 2 });
    });

    it('refuses a file that lacks a column or is not CSV (400 naming file), or a body of another type (415), and writes nothing', async () => {
      const assessment = await start();
      const key = assessment.answers[0].requirementKey;
      const before = await answerRows(assessment.id);
      const noVersion = await importCsv(assessment.id, `requirement_key,claim,statement,justification,evidence_ids\n${key},met,,,\n`).expect(400);
      expect(Object.keys(noVersion.body.details)).toEqual(['file']);
      expect(noVersion.body.details.file.join(' ')).toContain('version');
      const unterminated = await importCsv(assessment.id, `requirement_key,claim,statement,justification,evidence_ids,version\n${key},met,"never closed,,,1\n`).expect(400);
      expect(Object.keys(unterminated.body.details)).toEqual(['file']);
      const prose = await importCsv(assessment.id, 'This is a letter, not a spreadsheet.\nKind regards\n').expect(400);
      expect(Object.keys(prose.body.details)).toEqual(['file']);
      const json = await importCsv(assessment.id, JSON.stringify({ answers: [] }), ownerCaller, 'application/json').expect(415);
      expect(json.body.message).toBe('This route takes a body of type text/csv, not application/json.');
      expect(await answerRows(assessment.id)).toEqual(before);
    });

    it('lets a write token import but not a read token (403)', async () => {
      const assessment = await start();
      const key = assessment.answers[0].requirementKey;
      const csv = `requirement_key,claim,statement,justification,evidence_ids,version\n${key},not_met,By a script.,,,1\n`;
      await importCsv(assessment.id, csv, { token: await createToken(owner, ['read']) }).expect(403);
      const response = await importCsv(assessment.id, csv, { token: await createToken(owner, ['write']) }).expect(200);
      expect(response.body.applied).toEqual([{ row: 2, requirementKey: key, version: 2 }]);
      expect(answerOf(await read(assessment.id), key)).toMatchObject({ claim: 'not_met', updatedBy: null });
    });
  });

  describe('starting from an earlier assessment (copyFrom)', () => {
    it('copies claims, statements, justifications and evidence links by requirement key; requirements the source lacks are new', async () => {
      const link = await createLink(t, ownerCaller, slug(), { title: 'Shared register' });
      const text = await createText(t, ownerCaller, slug(), { title: 'Shared notes' });
      const source = await start(NOT_CHILD_DIRECTED);
      const planned = new Map<string, { claim: string; statement: string | null; justification: string | null; evidenceIds: string[] }>();
      const batch = source.answers.map((answer, index) => {
        const content =
          index % 3 === 0
            ? { claim: 'met', statement: `${answer.requirementKey} in place.`, justification: null, evidenceIds: [link.id, text.id] }
            : index % 3 === 1
              ? { claim: 'not_applicable', statement: null, justification: `${answer.requirementKey} does not apply.`, evidenceIds: [] }
              : { claim: 'partially_met', statement: `${answer.requirementKey} partly.`, justification: null, evidenceIds: [link.id] };
        planned.set(answer.requirementKey, content);
        return { requirementKey: answer.requirementKey, version: 1, ...content };
      });
      await call(t, ownerCaller, 'put', `${assessmentPath(source.id)}/answers`).send({ answers: batch }).expect(200);
      const sourceBefore = await answerRows(source.id);

      const copy = await start(CHILD_DIRECTED, { copyFrom: source.id });
      const newKeys = copy.answers.map((answer) => answer.requirementKey).filter((key) => !planned.has(key));
      expect(newKeys.length).toBeGreaterThan(0);
      for (const answer of copy.answers) {
        const from = planned.get(answer.requirementKey);
        if (from) {
          expect({ key: answer.requirementKey, carried: answer.carried, claim: answer.claim, statement: answer.statement, justification: answer.justification, version: answer.version }).toEqual({
            key: answer.requirementKey,
            carried: 'copied',
            claim: from.claim,
            statement: from.statement,
            justification: from.justification,
            version: 1,
          });
          expect(answer.evidence.map((item) => item.id).sort()).toEqual([...from.evidenceIds].sort());
        } else {
          expect(answer).toMatchObject({ carried: 'new', claim: null, statement: null, justification: null, evidence: [] });
        }
      }
      expect(copy.progress).toMatchObject({ answered: planned.size, total: copy.answers.length });
      expect(copy.gaps.map((gap) => gap.requirementKey)).toEqual(newKeys);
      expect(await answerRows(source.id)).toEqual(sourceBefore);
      const [row] = await t.sql('SELECT copied_from_id FROM assessments WHERE id = $1', [copy.id]);
      expect(row).toEqual({ copied_from_id: source.id });
      // The evidence knows it now backs answers of both.
      const uses = (await call(t, ownerCaller, 'get', `${orgPath(slug())}/evidence/${text.id}`).expect(200)).body.usedBy as Array<{ assessmentId: string }>;
      expect(new Set(uses.map((use) => use.assessmentId))).toEqual(new Set([source.id, copy.id]));
    });

    it('refuses to copy from an unknown assessment (404)', async () => {
      const service = await createService(t, ownerCaller, slug());
      const response = await call(t, ownerCaller, 'post', `${orgPath(slug())}/assessments`)
        .send({ serviceId: service.id, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 1, copyFrom: UNKNOWN_ID })
        .expect(404);
      expect(response.body.details).toHaveProperty('copyFrom');
      expect(await t.sql('SELECT id FROM assessments WHERE service_id = $1', [service.id])).toEqual([]);
    });

    it('marks as changed the answers whose requirement changed in a newer version of the code', async () => {
      // 1.1.0 of the bundled code rewords PUR-03 and adds SBD-08, among others.
      const diff = (await call(t, ownerCaller, 'get', `/api/v1/codes/${CODE}/diff?from=1.0.0&to=1.1.0`).expect(200)).body as { changed: Array<{ key: string }> };
      const changed = new Set(diff.changed.map((entry) => entry.key));
      expect(changed).toContain('PUR-03');
      expect(changed).not.toContain('PUR-01');

      const service = await createService(t, ownerCaller, slug());
      const earlier = await start(CHILD_DIRECTED, { serviceId: service.id });
      expect(earlier.code.version).toBe('1.0.0');
      const batch = earlier.answers.map((answer) => ({ requirementKey: answer.requirementKey, version: 1, claim: 'not_met', statement: `Earlier ${answer.requirementKey}.` }));
      await call(t, ownerCaller, 'put', `${assessmentPath(earlier.id)}/answers`).send({ answers: batch }).expect(200);

      const renewed = await start(CHILD_DIRECTED, { serviceId: service.id, version: '1.1.0', copyFrom: earlier.id });
      expect(renewed.code.version).toBe('1.1.0');
      expect(answerOf(renewed, 'PUR-01')).toMatchObject({ carried: 'copied', claim: 'not_met', statement: 'Earlier PUR-01.' });
      expect(answerOf(renewed, 'PUR-03')).toMatchObject({ carried: 'changed', claim: 'not_met', statement: 'Earlier PUR-03.' });
      expect(answerOf(renewed, 'SBD-08')).toMatchObject({ carried: 'new', claim: null });
      const answeredBefore = new Set(earlier.answers.map((answer) => answer.requirementKey));
      for (const answer of renewed.answers) {
        const expected = !answeredBefore.has(answer.requirementKey) ? 'new' : changed.has(answer.requirementKey) ? 'changed' : 'copied';
        expect({ key: answer.requirementKey, carried: answer.carried }).toEqual({ key: answer.requirementKey, carried: expected });
        if (expected !== 'new') expect(answer.statement).toBe(`Earlier ${answer.requirementKey}.`);
      }
    });
  });
});
