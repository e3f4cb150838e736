import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  accredit,
  asCaller,
  call,
  Caller,
  createLink,
  createService,
  createText,
  filesUnder,
  OPERATOR,
  OPERATOR_ENV,
  orgPath,
  pdf,
  retirePublishedVersions,
  saveAnswer,
  sha256,
  startAssessment,
  uploadFile,
  uploadRequest,
} from './support/assessment-fixtures';
import { cfb, docx, encryptedPdf, gif, jpeg, mp4, nestedZip, pdfWithInlineImage, pdfWithPicture, pdfWithText, png, wav, zip, zipBomb } from './support/evidence-files';
import { Actor, createTestApp, TestApp } from './support/test-app';

const STRICT_SOURCE = readFileSync(join(__dirname, 'fixtures', 'codes', 'strict-evidence-1.0.0.yaml'), 'utf8');
const PLAIN_SOURCE = readFileSync(join(__dirname, 'fixtures', 'codes', 'green-hosting-1.0.0.yaml'), 'utf8');
const STRICT = 'strict-evidence';
/** A code that declares no evidence policy. */
const PLAIN = 'green-hosting';
const CONFIRMATION = 'This file contains no image of a person, no child sexual abuse material and no data that could identify a victim.';

/**
 * Evidence policies end to end: what the platform takes while no published code declares a policy
 * (the bundled code's versions are retired first; archives are taken, opened and bounded), and what it
 * refuses once a code with the CSEA detection tools code's policy is published: pictures, recordings,
 * archives and old Office files by type, pictures inside PDFs and office documents, uploads without the
 * confirmation, and earlier pictures linked to answers.
 */
describe('evidence policies', () => {
  let t: TestApp;
  let owner: Actor;
  let monitor: Actor;
  let ownerCaller: Caller;
  let dataDir: string;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
    dataDir = process.env.DATA_DIR!;
    owner = await t.signUp({ organization: 'Careless Provider' });
    monitor = await t.signUp({ organization: 'Policy Monitor', kind: 'monitoring_body' });
    ownerCaller = asCaller(owner);
    await retirePublishedVersions(t);
    const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
    await operator.agent.post('/api/v1/codes').set('X-CSRF-Token', operator.csrf).set('Content-Type', 'application/yaml').send(PLAIN_SOURCE).expect(201);
    await operator.agent.post(`/api/v1/codes/${PLAIN}/versions/1.0.0/publish`).set('X-CSRF-Token', operator.csrf).expect(200);
    await accredit(t, monitor, PLAIN);
  }, 90_000);
  afterAll(() => t.close());

  const slug = () => owner.organization.slug;
  const evidencePath = () => `${orgPath(slug())}/evidence`;
  const upload = (file: Buffer, fileName: string, fields: Record<string, string> = {}) => uploadRequest(t, ownerCaller, evidencePath(), file, fileName, { title: `Upload of ${fileName}`, ...fields });
  const footprint = async () => ({
    rows: (await t.sql<{ count: number }>('SELECT count(*)::int AS count FROM evidence_revisions'))[0].count,
    files: [...filesUnder(join(dataDir, 'evidence')), ...filesUnder(join(dataDir, 'uploads')).map((name) => `uploads/${name}`)],
  });
  const revisionFacts = async (id: string) =>
    (await t.sql<{ embeds_images: boolean | null; member_types: string[] | null }>('SELECT embeds_images, member_types FROM evidence_revisions WHERE evidence_id = $1', [id]))[0];

  async function assessmentUnder(code: string) {
    const service = await createService(t, ownerCaller, slug(), {});
    const response = await call(t, ownerCaller, 'post', `${orgPath(slug())}/assessments`)
      .send({ code, version: '1.0.0', targetLevel: 1, serviceId: service.id, monitoringBody: monitor.organization.slug })
      .expect(201);
    return response.body as { id: string; answers: Array<{ requirementKey: string; version: number }> };
  }

  let screenshot: { id: string };
  let photoPdf: { id: string };
  let earlierAssessmentId: string;

  describe('while no published code declares a policy', () => {
    it('takes a picture, a PDF with a picture and a nested archive, recording what is inside', async () => {
      screenshot = await uploadFile(t, ownerCaller, slug(), png(), 'queue-screenshot.png');
      photoPdf = await uploadFile(t, ownerCaller, slug(), await pdfWithPicture(), 'photo-report.pdf');
      expect(await revisionFacts(photoPdf.id)).toEqual({ embeds_images: true, member_types: null });
      const archive = await uploadFile(t, ownerCaller, slug(), zip({ 'readme.txt': 'Figures for 2026.', 'reports.zip': zip({ 'q1.pdf': pdf('q1'), 'q2.csv': 'a,b\n1,2\n' }) }), 'figures.zip');
      expect(archive.revision.contentType).toBe('application/zip');
      expect(await revisionFacts(archive.id)).toEqual({ embeds_images: false, member_types: ['application/pdf', 'application/zip', 'text/csv', 'text/plain'] });
    });

    it('refuses an archive holding a program (415, naming it) and keeps nothing', async () => {
      const before = await footprint();
      const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
      const response = await upload(zip({ 'tool/detector': elf, 'notes.txt': 'see the tool' }), 'tool.zip').expect(415);
      expect(response.body).toMatchObject({ code: 'EVIDENCE_CONTENT_REFUSED', message: expect.stringContaining('tool/detector (application/x-elf)') });
      expect(await footprint()).toEqual(before);
    });

    it.each([
      ['archives nested four deep', () => nestedZip(4), 'nests archives more than 3 deep'],
      ['a zip bomb', () => zipBomb(20), 'times over its compressed size'],
    ])('refuses %s with 413 and keeps nothing', async (_what, build, message) => {
      const before = await footprint();
      const response = await upload(build(), 'bomb.zip').expect(413);
      expect(response.body).toMatchObject({ code: 'ARCHIVE_TOO_LARGE', message: expect.stringContaining(message) });
      expect(await footprint()).toEqual(before);
    });

    it('links the picture to an answer of a code without a policy', async () => {
      const assessment = await assessmentUnder(PLAIN);
      earlierAssessmentId = assessment.id;
      const answer = assessment.answers[0];
      await saveAnswer(t, ownerCaller, slug(), assessment.id, answer.requirementKey, answer.version, { claim: 'met', statement: 'See the screenshot.', evidenceIds: [screenshot.id] });
    });
  });

  describe('once a code with the CSEA detection tools policy is published', () => {
    let pdfEvidence: { id: string };

    beforeAll(async () => {
      const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
      await operator.agent.post('/api/v1/codes').set('X-CSRF-Token', operator.csrf).set('Content-Type', 'application/yaml').send(STRICT_SOURCE).expect(201);
      await operator.agent.post(`/api/v1/codes/${STRICT}/versions/1.0.0/publish`).set('X-CSRF-Token', operator.csrf).expect(200);
      await accredit(t, monitor, STRICT);
    });

    it('shows the policy to providers on the code reader and in the API', async () => {
      const page = await owner.agent.get(`/codes/${STRICT}/1.0.0`).expect(200);
      expect(page.text).toContain('Evidence this code accepts');
      expect(page.text).toContain('refused: a PDF or office document that holds a picture is not accepted');
      expect(page.text).toContain(CONFIRMATION);
      const api = await owner.agent.get(`/api/v1/codes/${STRICT}/versions/1.0.0`).expect(200);
      expect(api.body.evidencePolicy).toMatchObject({ kinds: ['file', 'link', 'text'], embeddedImages: 'refuse', confirmation: CONFIRMATION });
    });

    it('holds a later version that declares no policy to the one its code declared, and shows the change in the diff', async () => {
      const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
      const withoutPolicy = STRICT_SOURCE.replace('version: 1.0.0', 'version: 1.1.0').slice(0, STRICT_SOURCE.indexOf('evidence_policy:'));
      await operator.agent.post('/api/v1/codes').set('X-CSRF-Token', operator.csrf).set('Content-Type', 'application/yaml').send(withoutPolicy).expect(201);
      await operator.agent.post(`/api/v1/codes/${STRICT}/versions/1.1.0/publish`).set('X-CSRF-Token', operator.csrf).expect(200);
      const page = await owner.agent.get(`/codes/${STRICT}/1.1.0`).expect(200);
      expect(page.text).toContain('declares no evidence policy of its own and follows the one of version');
      expect(page.text).toContain(CONFIRMATION);
      const diff = await owner.agent.get(`/api/v1/codes/${STRICT}/diff?from=1.0.0&to=1.1.0`).expect(200);
      expect(diff.body.evidencePolicy).toMatchObject({ from: { embeddedImages: 'refuse' }, to: null });
      expect(diff.body.evidencePolicy.changes.map((change: { field: string }) => change.field)).toEqual(['kinds', 'fileTypes', 'embeddedImages', 'confirmation', 'refusalGuidance']);
      const service = await createService(t, ownerCaller, slug(), {});
      const assessment = await call(t, ownerCaller, 'post', `${orgPath(slug())}/assessments`)
        .send({ code: STRICT, version: '1.1.0', targetLevel: 1, serviceId: service.id, monitoringBody: monitor.organization.slug })
        .expect(201);
      const answer = assessment.body.answers[0];
      await call(t, ownerCaller, 'put', `${orgPath(slug())}/assessments/${assessment.body.id}/answers/${answer.requirementKey}`)
        .send({ claim: 'met', statement: 'x', evidenceIds: [screenshot.id], version: answer.version })
        .expect(422);
    });

    it.each([
      ['a screenshot', png(), 'screenshot.png', 'of type image/png'],
      ['a photo', jpeg(), 'photo.jpg', 'of type image/jpeg'],
      ['an animation', gif(), 'clip.gif', 'of type image/gif'],
      ['a video', mp4(), 'recording.mp4', 'of type video/mp4'],
      ['a recording', wav(), 'call.wav', 'of type audio/'],
      ['a ZIP of pictures', zip({ 'a.png': png(1), 'b.png': png(2) }), 'samples.zip', 'of type application/zip'],
    ])('refuses %s with 415, saying why and what to send instead, and keeps nothing', async (_what, bytes, fileName, type) => {
      const before = await footprint();
      const response = await upload(bytes, fileName).expect(415);
      expect(response.body.code).toBe('EVIDENCE_TYPE_REFUSED');
      expect(response.body.message).toContain(`file is ${type}`);
      expect(response.body.message).toContain('under Strict Evidence Test Code 1.0.0');
      expect(response.body.message).toContain('the code forbids access to child sexual abuse material');
      expect(response.body.message).toContain('Describe in words what the picture or recording shows, redact it from the document');
      expect(response.body.message).toContain('Accepted: documents: PDF');
      expect(await footprint()).toEqual(before);
    });

    it('refuses an old Office file, which cannot be checked for pictures, saying to save it as PDF or docx', async () => {
      const response = await upload(cfb(), 'report.doc').expect(415);
      expect(response.body.message).toContain('file is of type application/msword');
      expect(response.body.message).toContain('save it as PDF or in the current format (.docx, .xlsx, .pptx)');
    });

    it.each([
      ['a PDF with a photo', () => pdfWithPicture(), 'image object'],
      ['a PDF with a photo inside a form XObject', () => pdfWithPicture(true), 'image object'],
      ['a PDF painting an inline image', () => pdfWithInlineImage(), 'inline image'],
      ['a PDF with a picture appended', async () => Buffer.concat([await pdfWithText(), jpeg()]), 'JPEG picture'],
      ['a Word document with a picture', async () => docx({ 'word/media/image1.png': png() }), 'word/media/image1.png'],
      ['a Word document with an embedded object', async () => docx({ 'word/embeddings/oleObject1.bin': cfb() }), 'word/embeddings/oleObject1.bin'],
    ])('refuses %s with 415, naming what it holds', async (_what, build, named) => {
      const before = await footprint();
      const response = await upload(await build(), _what.includes('Word') ? 'report.docx' : 'report.pdf').expect(415);
      expect(response.body.code).toBe('EVIDENCE_CONTENT_REFUSED');
      expect(response.body.message).toContain(named);
      expect(response.body.message).toContain('drawings and charts are fine');
      expect(await footprint()).toEqual(before);
    });

    it('refuses an encrypted PDF, which cannot be checked, saying how to make one that can', async () => {
      const response = await upload(await encryptedPdf(), 'locked.pdf').expect(415);
      expect(response.body).toMatchObject({ code: 'EVIDENCE_UNINSPECTABLE', message: expect.stringContaining('the PDF is encrypted') });
      expect(response.body.message).toContain('print it to a new PDF');
    });

    it('refuses text that goes on with a picture after its first 64 KiB', async () => {
      await upload(Buffer.concat([Buffer.alloc(70_000, 'a'), jpeg()]), 'notes.txt').expect(415);
    });

    it('takes a PDF with text and a chart, a Word document and a CSV file, each confirmed', async () => {
      pdfEvidence = await uploadFile(t, ownerCaller, slug(), await pdfWithText(), 'accuracy.pdf');
      expect(await revisionFacts(pdfEvidence.id)).toEqual({ embeds_images: false, member_types: null });
      await uploadFile(t, ownerCaller, slug(), docx(), 'accuracy.docx');
      await uploadFile(t, ownerCaller, slug(), Buffer.from('quarter,precision\nQ1,0.97\n'), 'accuracy.csv');
      await createLink(t, ownerCaller, slug());
      await createText(t, ownerCaller, slug());
    });

    it('asks for the confirmation (400 naming the field) and records it in the audit chain with the digest', async () => {
      const bytes = await pdfWithText('Confirmed report');
      const before = await footprint();
      const refused = await upload(bytes, 'confirmed.pdf', { confirmation: '' }).expect(400);
      expect(refused.body.details.confirmation).toEqual([expect.stringContaining(CONFIRMATION)]);
      expect(await footprint()).toEqual(before);
      await upload(bytes, 'confirmed.pdf', { confirmation: 'false' }).expect(400);

      // The confirmation may also travel in the query, as it does for the page's form.
      const created = await call(t, ownerCaller, 'post', `${evidencePath()}?confirmation=true`).field('title', 'Confirmed report').attach('file', bytes, 'confirmed.pdf').expect(201);
      const events = await owner.agent.get(`${orgPath(slug())}/audit?limit=5`).expect(200);
      const confirmed = events.body.items.find((event: { action: string }) => event.action === 'evidence.confirmed');
      expect(confirmed).toMatchObject({ targetId: created.body.id, data: { revision: 1, sha256: sha256(bytes), confirmation: CONFIRMATION } });
      expect((await owner.agent.get(`${orgPath(slug())}/audit/verify`).expect(200)).body.valid).toBe(true);
    });

    it('shows the confirmation as a required checkbox on the upload form', async () => {
      const page = await owner.agent.get(`/app/${slug()}/evidence/new`).expect(200);
      expect(page.text).toMatch(/<input id="file-confirmation" type="checkbox" name="confirmation" value="true" required/);
      expect(page.text).toContain(CONFIRMATION);
    });

    it('refuses a picture as a new revision of a document', async () => {
      await uploadRequest(t, ownerCaller, `${evidencePath()}/${pdfEvidence.id}/revisions`, png(), 'page.png').expect(415);
    });

    it('refuses to link a picture uploaded under another code to an answer, naming the evidence (422)', async () => {
      const assessment = await assessmentUnder(STRICT);
      const answer = assessment.answers[0];
      const path = `${orgPath(slug())}/assessments/${assessment.id}/answers/${answer.requirementKey}`;
      const refused = await call(t, ownerCaller, 'put', path).send({ claim: 'met', statement: 'See the files.', evidenceIds: [pdfEvidence.id, screenshot.id], version: answer.version }).expect(422);
      expect(refused.body.code).toBe('EVIDENCE_REFUSED_FOR_ANSWER');
      expect(refused.body.details).toEqual({ 'evidenceIds[1]': [expect.stringContaining('it is a file of type image/png, which is not accepted')] });
      const withPhoto = await call(t, ownerCaller, 'put', path).send({ claim: 'met', statement: 'x', evidenceIds: [photoPdf.id], version: answer.version }).expect(422);
      expect(withPhoto.body.details['evidenceIds[0]']).toEqual([expect.stringContaining('holds pictures or embedded objects')]);
      const [row] = await t.sql<{ count: number }>('SELECT count(*)::int AS count FROM answer_evidence ae JOIN answers a ON a.id = ae.answer_id WHERE a.assessment_id = $1', [assessment.id]);
      expect(row.count).toBe(0);
      await saveAnswer(t, ownerCaller, slug(), assessment.id, answer.requirementKey, answer.version, { claim: 'met', statement: 'See the report.', evidenceIds: [pdfEvidence.id] });

      // An imported row is rejected with the reason, and the other rows go in.
      const second = assessment.answers[1];
      const csv = [
        'requirement_key,claim,statement,justification,evidence_ids,version',
        `${second.requirementKey},met,See the screenshot.,,${screenshot.id},${second.version}`,
      ].join('\n');
      const report = await call(t, ownerCaller, 'post', `${orgPath(slug())}/assessments/${assessment.id}/import`).set('Content-Type', 'text/csv').send(`${csv}\n`).expect(200);
      expect(report.body.rejected).toEqual([{ row: 2, requirementKey: second.requirementKey, problems: [expect.stringContaining('it is a file of type image/png, which is not accepted')] }]);
    });

    it('opens a file stored before files were opened when it is linked, and judges it by what it holds', async () => {
      const assessment = await assessmentUnder(STRICT);
      const answer = assessment.answers[0];
      // As the library held files before this check existed: nothing recorded about their insides.
      const legacy = async (title: string, from: { id: string }) => {
        const [revision] = await t.sql<{ sha256: string; size: number; content_type: string }>('SELECT sha256, size, content_type FROM evidence_revisions WHERE evidence_id = $1', [from.id]);
        const [row] = await t.sql<{ id: string }>(
          `INSERT INTO evidence (organization_id, kind, title, confidentiality, current_revision, version) VALUES ($1, 'file', $2, 'monitoring_body', 1, 1) RETURNING id`,
          [owner.organization.id, title],
        );
        await t.sql(
          `INSERT INTO evidence_revisions (evidence_id, organization_id, number, sha256, size, content_type, file_name, effective_date) VALUES ($1, $2, 1, $3, $4, $5, 'old.pdf', current_date)`,
          [row.id, owner.organization.id, revision.sha256, revision.size, revision.content_type],
        );
        return row.id;
      };
      const oldPhoto = await legacy('Old photo report', photoPdf);
      const oldText = await legacy('Old accuracy report', pdfEvidence);
      const path = `${orgPath(slug())}/assessments/${assessment.id}/answers/${answer.requirementKey}`;
      const refused = await call(t, ownerCaller, 'put', path).send({ claim: 'met', statement: 'x', evidenceIds: [oldText, oldPhoto], version: answer.version }).expect(422);
      expect(refused.body.details).toEqual({ 'evidenceIds[1]': [expect.stringContaining('Old photo report cannot back this answer')] });
      await call(t, ownerCaller, 'put', path).send({ claim: 'met', statement: 'x', evidenceIds: [oldText], version: answer.version }).expect(200);
      expect(filesUnder(join(dataDir, 'uploads'))).toEqual([]);
    });

    it('refuses it under a code without a policy too, since uploads are held to the strictest published policy', async () => {
      const assessment = await assessmentUnder(PLAIN);
      const answer = assessment.answers[0];
      await call(t, ownerCaller, 'put', `${orgPath(slug())}/assessments/${assessment.id}/answers/${answer.requirementKey}`)
        .send({ claim: 'met', statement: 'x', evidenceIds: [screenshot.id], version: answer.version })
        .expect(422);
    });

    it('refuses to carry the picture forward into a new assessment, and starts none', async () => {
      const service = await createService(t, ownerCaller, slug(), {});
      const before = (await t.sql<{ count: number }>('SELECT count(*)::int AS count FROM assessments'))[0].count;
      const refused = await call(t, ownerCaller, 'post', `${orgPath(slug())}/assessments`)
        .send({ code: PLAIN, version: '1.0.0', targetLevel: 1, serviceId: service.id, monitoringBody: monitor.organization.slug, copyFrom: earlierAssessmentId })
        .expect(422);
      expect(Object.values(refused.body.details).flat()).toEqual([expect.stringContaining('queue-screenshot.png cannot back this answer')]);
      expect((await t.sql<{ count: number }>('SELECT count(*)::int AS count FROM assessments'))[0].count).toBe(before);
    });
  });
});
