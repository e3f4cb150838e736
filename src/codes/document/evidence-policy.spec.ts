import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffCodes } from './code-diff';
import type { CodeDocument } from './code-document';
import { appliedPolicy, DEFAULT_EVIDENCE_POLICY, strictestPolicy } from './evidence-policy';
import { contentHash, describeProblems, parseCodeDocument } from './parse-code-document';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'codes');
const BUNDLED = join(__dirname, '..', 'bundled', 'csea-detection-tools-1.0.0.yaml');
const strictSource = readFileSync(join(FIXTURES, 'strict-evidence-1.0.0.yaml'), 'utf8');
const plainSource = readFileSync(join(FIXTURES, 'green-hosting-1.0.0.yaml'), 'utf8');

function parsed(source: string): CodeDocument {
  const result = parseCodeDocument(source);
  if (!result.valid) throw new Error(describeProblems(result.problems));
  return result.document;
}

/** The strict fixture with its policy block replaced. */
function withPolicy(block: string): string {
  return `${strictSource.slice(0, strictSource.indexOf('evidence_policy:'))}${block}\n`;
}

function problems(source: string): string[] {
  const result = parseCodeDocument(source);
  return result.valid ? [] : result.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

describe('the evidence policy of a code version', () => {
  it('is read with its group names kept as written', () => {
    expect(parsed(strictSource).evidencePolicy).toEqual({
      kinds: ['file', 'link', 'text'],
      fileTypes: ['documents', 'spreadsheets', 'presentations', 'text'],
      embeddedImages: 'refuse',
      confirmation: expect.stringContaining('no child sexual abuse material'),
      refusalGuidance: expect.stringContaining('Describe in words'),
    });
  });

  it('is absent from a version that declares none, whose content hash stays what it was', () => {
    const bundled = parseCodeDocument(readFileSync(BUNDLED, 'utf8'));
    expect(bundled.valid).toBe(true);
    if (!bundled.valid) return;
    expect('evidencePolicy' in bundled.document).toBe(false);
    // The hash of the bundled 1.0.0 as it was published before policies existed.
    expect(contentHash(bundled.document)).toBe(bundled.contentHash);
    expect('evidencePolicy' in parsed(plainSource)).toBe(false);
  });

  it.each([
    ['evidence_policy: [file]', 'evidence_policy: must be a mapping with kinds, file_types'],
    ['evidence_policy:\n  kinds: [file, video]\n  file_types: [documents]', 'evidence_policy.kinds: each of kinds must be one of file, link, text'],
    ['evidence_policy:\n  kinds: [file]\n  file_types: [documents, video/mp4]', 'evidence_policy.file_types: each of file_types must be a group'],
    ['evidence_policy:\n  kinds: [file]\n  file_types: [documents]\n  embedded_images: blur', 'evidence_policy.embedded_images: must be allow or refuse'],
    ['evidence_policy:\n  kinds: [file]', 'evidence_policy.file_types: name the file types accepted, since kinds includes file'],
    ['evidence_policy:\n  kinds: [link]\n  file_types: [documents]', 'evidence_policy.file_types: file types are named only when kinds includes file'],
    ['evidence_policy:\n  kinds: [link, text]\n  confirmation: No pictures.', 'evidence_policy.confirmation: a confirmation goes with each uploaded file'],
    ['evidence_policy:\n  kinds: [file, file]\n  file_types: [text]', 'evidence_policy.kinds: file is listed twice'],
    ['evidence_policy:\n  kinds: [file]\n  file_types: [documents, application/pdf]', 'evidence_policy.file_types: application/pdf is already part of the group documents'],
    ['evidence_policy:\n  kinds: [file]\n  file_types: [documents, legacy_office]\n  embedded_images: refuse', 'evidence_policy.file_types: legacy_office cannot be opened to look for pictures'],
    ['evidence_policy:\n  kinds: [file]\n  file_types: [text]\n  colour: red', 'evidence_policy.colour: is not an accepted field'],
  ])('refuses %j, naming the field', (block, expected) => {
    expect(problems(withPolicy(block)).join('\n')).toContain(expected);
  });

  it('accepts a policy of single media types', () => {
    expect(problems(withPolicy('evidence_policy:\n  kinds: [file, text]\n  file_types: [application/pdf, text/csv]'))).toEqual([]);
  });
});

describe('applying evidence policies', () => {
  const strict = appliedPolicy(parsed(strictSource).evidencePolicy!, { code: 'strict-evidence', title: 'Strict', version: '1.0.0' });

  it('expands groups into the media types they stand for, leaving out images, archives and old Office files', () => {
    expect(strict.mediaTypes).toContain('application/pdf');
    expect(strict.mediaTypes).toContain('text/csv');
    expect(strict.mediaTypes).toContain('application/vnd.openxmlformats-officedocument.presentationml.presentation');
    expect(strict.mediaTypes.filter((type) => type.startsWith('image/') || type === 'application/zip' || type === 'application/msword')).toEqual([]);
  });

  it('keeps only what every policy accepts, and everything any of them asks', () => {
    const lenient = appliedPolicy(
      { kinds: ['file', 'link'], fileTypes: ['documents', 'images', 'archives'], embeddedImages: 'allow', confirmation: 'It is mine.', refusalGuidance: 'Ask us.' },
      { code: 'lenient', title: 'Lenient', version: '2.0.0' },
    );
    const combined = strictestPolicy([strict, lenient]);
    expect(combined.kinds).toEqual(['file', 'link']);
    expect(combined.mediaTypes).toEqual(['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.oasis.opendocument.text']);
    expect(combined.embeddedImages).toBe('refuse');
    expect(combined.confirmations).toEqual([strict.confirmations[0], 'It is mine.']);
    expect(combined.guidance).toHaveLength(2);
    expect(combined.sources.map((source) => source.code)).toEqual(['strict-evidence', 'lenient']);
  });

  it('falls back to every accepted type, links and texts, without confirmation, when no code declares a policy', () => {
    expect(strictestPolicy([])).toBe(DEFAULT_EVIDENCE_POLICY);
    expect(DEFAULT_EVIDENCE_POLICY.mediaTypes).toEqual(expect.arrayContaining(['image/png', 'application/zip', 'application/msword', 'text/plain']));
    expect(DEFAULT_EVIDENCE_POLICY.confirmations).toEqual([]);
  });
});

describe('the diff of evidence policies', () => {
  it('shows a policy a new version declares, field by field', () => {
    const before = parsed(plainSource);
    const after = { ...before, version: '1.1.0', evidencePolicy: parsed(strictSource).evidencePolicy };
    const diff = diffCodes(before, after).evidencePolicy!;
    expect(diff.from).toBeNull();
    expect(diff.to).toEqual(after.evidencePolicy);
    expect(diff.changes.map((change) => change.field)).toEqual(['kinds', 'fileTypes', 'embeddedImages', 'confirmation', 'refusalGuidance']);
    expect(diff.changes.find((change) => change.field === 'embeddedImages')).toEqual({ field: 'embeddedImages', from: null, to: 'refuse' });
  });

  it('shows only the fields that changed, and nothing for the same policy', () => {
    const v1 = parsed(strictSource);
    const v2 = { ...v1, version: '1.1.0', evidencePolicy: { ...v1.evidencePolicy!, fileTypes: ['documents', 'text'] } };
    expect(diffCodes(v1, v2).evidencePolicy!.changes).toEqual([{ field: 'fileTypes', from: ['documents', 'spreadsheets', 'presentations', 'text'], to: ['documents', 'text'] }]);
    expect(diffCodes(v1, v1).evidencePolicy).toBeNull();
  });
});
