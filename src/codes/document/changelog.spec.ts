import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { changelogMismatches } from './changelog-check';
import { CodeDocument, DocumentProblem } from './code-document';
import { contentHash, describeProblems, ParsedCode, parseCodeDocument } from './parse-code-document';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'codes');
const V100 = readFileSync(join(FIXTURES, 'green-hosting-1.0.0.yaml'), 'utf8');
const V110 = readFileSync(join(FIXTURES, 'green-hosting-1.1.0.yaml'), 'utf8');

/** The changelog that tells the truth about the green-hosting test code from 1.0.0 to 1.1.0. */
const TRUE_CHANGES = [
  { change: 'added', keys: ['REP-03'], reason: 'Suppliers cause most of the footprint.', references: ['GHG Protocol, Scope 3 Standard'] },
  { change: 'removed', keys: ['ENE-03'], reason: 'Heat reuse is now a matter for the building code.' },
  { change: 'changed', keys: ['ENE-01', 'ENE-02'], reason: 'Stricter energy targets.' },
  { change: 'changed', keys: ['REP-01'], reason: 'The footprint report is now audited.' },
  { change: 'moved', keys: ['REP-02'], reason: 'Data minimisation belongs with operations.' },
];

// The YAML document is loosely typed on purpose: the cases put wrong values in it.
type Raw = any;

function withChangelog(changelog: Raw, source = V110): ParsedCode {
  const document = parse(source) as Raw;
  if (changelog !== undefined) document.changelog = changelog;
  return parseCodeDocument(stringify(document));
}

function valid(parsed: ParsedCode): CodeDocument {
  if (!parsed.valid) throw new Error(`expected a valid document:\n${describeProblems(parsed.problems)}`);
  return parsed.document;
}

function problemsOf(parsed: ParsedCode): DocumentProblem[] {
  if (parsed.valid) throw new Error('expected the document to be refused, but it was valid');
  return parsed.problems;
}

const earlier = valid(parseCodeDocument(V100));

describe('a changelog in a code document', () => {
  it('is read with its entries, their keys, questions, reasons and references', () => {
    const document = valid(withChangelog({ from: '1.0.0', changes: TRUE_CHANGES }));
    expect(document.changelog).toEqual({
      from: '1.0.0',
      changes: [
        { change: 'added', keys: ['REP-03'], questions: [], reason: 'Suppliers cause most of the footprint.', references: ['GHG Protocol, Scope 3 Standard'] },
        { change: 'removed', keys: ['ENE-03'], questions: [], reason: 'Heat reuse is now a matter for the building code.', references: [] },
        { change: 'changed', keys: ['ENE-01', 'ENE-02'], questions: [], reason: 'Stricter energy targets.', references: [] },
        { change: 'changed', keys: ['REP-01'], questions: [], reason: 'The footprint report is now audited.', references: [] },
        { change: 'moved', keys: ['REP-02'], questions: [], reason: 'Data minimisation belongs with operations.', references: [] },
      ],
    });
  });

  it('is optional: a document without one holds no changelog, and one with it hashes differently', () => {
    // Absent, not null: the content hash of a version without a changelog stays what it was before the
    // format had one (the bundled code's spec pins it).
    const document = valid(parseCodeDocument(V110));
    expect('changelog' in document).toBe(false);
    expect(contentHash(valid(withChangelog({ from: '1.0.0', changes: TRUE_CHANGES })))).not.toBe(contentHash(document));
  });

  it.each<[string, Raw, string, RegExp]>([
    ['a changelog that is not a mapping', ['1.0.0'], 'changelog', /mapping/],
    ['no earlier version', { changes: TRUE_CHANGES }, 'changelog.from', /is missing/],
    ['an earlier version that is not a version', { from: 'first', changes: TRUE_CHANGES }, 'changelog.from', /not a semantic version/],
    ['an earlier version that is not earlier', { from: '1.1.0', changes: TRUE_CHANGES }, 'changelog.from', /earlier version than 1\.1\.0/],
    ['no changes', { from: '1.0.0', changes: [] }, 'changelog.changes', /at least 1/],
    ['an unknown kind of change', { from: '1.0.0', changes: [{ change: 'renamed', keys: ['ENE-01'], reason: 'Why.' }] }, 'changelog.changes[0].change', /added, changed, removed, moved/],
    ['an entry without a reason', { from: '1.0.0', changes: [{ change: 'changed', keys: ['ENE-01'] }] }, 'changelog.changes[0].reason', /is missing/],
    ['an entry that names nothing', { from: '1.0.0', changes: [{ change: 'changed', reason: 'Why.' }] }, 'changelog.changes[0]', /at least one requirement \(keys\), profile question \(questions\) or part \(parts: evidence_policy\)/],
    ['a key that is not a key', { from: '1.0.0', changes: [{ change: 'changed', keys: ['ENE 01'], reason: 'Why.' }] }, 'changelog.changes[0].keys', /letters, digits/],
    ['a reference that is not a line of text', { from: '1.0.0', changes: [{ change: 'changed', keys: ['ENE-01'], reason: 'Why.', references: [7] }] }, 'changelog.changes[0].references', /string/],
    ['an unknown field', { from: '1.0.0', changes: [{ change: 'changed', keys: ['ENE-01'], reason: 'Why.', why: 'no' }] }, 'changelog.changes[0].why', /not an accepted field/],
    ['a changed key that this version does not have', { from: '1.0.0', changes: [{ change: 'changed', keys: ['ENE-09'], reason: 'Why.' }] }, 'changelog.changes[0].keys', /ENE-09 is not a requirement of this version/],
    ['an added question that this version does not have', { from: '1.0.0', changes: [{ change: 'added', questions: ['has_solar'], reason: 'Why.' }] }, 'changelog.changes[0].questions', /has_solar is not a profile question/],
    ['a removed key that this version still has', { from: '1.0.0', changes: [{ change: 'removed', keys: ['ENE-01'], reason: 'Why.' }] }, 'changelog.changes[0].keys', /ENE-01 is still a requirement of this version/],
    ['a moved question', { from: '1.0.0', changes: [{ change: 'moved', questions: ['hosting_model'], reason: 'Why.' }] }, 'changelog.changes[0].questions', /only requirements move/],
    ['a key named twice in one entry', { from: '1.0.0', changes: [{ change: 'changed', keys: ['ENE-01', 'ENE-01'], reason: 'Why.' }] }, 'changelog.changes[0].keys', /ENE-01 is named twice/],
    ['an unknown part', { from: '1.0.0', changes: [{ change: 'added', parts: ['appendix'], reason: 'Why.' }] }, 'changelog.changes[0].parts', /each part must be one of: evidence_policy/],
    ['parts that are not a list', { from: '1.0.0', changes: [{ change: 'added', parts: 'evidence_policy', reason: 'Why.' }] }, 'changelog.changes[0].parts', /must be a list of: evidence_policy/],
    ['a moved part', { from: '1.0.0', changes: [{ change: 'moved', parts: ['evidence_policy'], reason: 'Why.' }] }, 'changelog.changes[0].parts', /only requirements move/],
    ['a part named twice in one entry', { from: '1.0.0', changes: [{ change: 'changed', parts: ['evidence_policy', 'evidence_policy'], reason: 'Why.' }] }, 'changelog.changes[0].parts', /evidence_policy is named twice/],
    [
      'a part said to be both added and changed',
      { from: '1.0.0', changes: [{ change: 'added', parts: ['evidence_policy'], reason: 'New.' }, { change: 'changed', parts: ['evidence_policy'], reason: 'Also changed?' }] },
      'changelog.changes[1].parts',
      /evidence_policy is named as added in changes\[0\] and as changed here/,
    ],
    [
      'a key said to be both added and changed',
      { from: '1.0.0', changes: [{ change: 'added', keys: ['REP-03'], reason: 'New.' }, { change: 'changed', keys: ['REP-03'], reason: 'Also changed?' }] },
      'changelog.changes[1].keys',
      /REP-03 is named as added in changes\[0\] and as changed here/,
    ],
  ])('refuses %s, naming where', (_case, changelog, path, message) => {
    const problems = problemsOf(withChangelog(changelog));
    expect(problems).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('lets one requirement be both changed and moved, and be named for several reasons', () => {
    const document = valid(
      withChangelog({
        from: '1.0.0',
        changes: [
          { change: 'moved', keys: ['REP-02'], reason: 'Moved.' },
          { change: 'changed', keys: ['REP-02'], reason: 'Reworded.' },
          { change: 'changed', keys: ['REP-02'], reason: 'And for another reason.' },
        ],
      }),
    );
    expect(document.changelog!.changes.map((entry) => entry.change)).toEqual(['moved', 'changed', 'changed']);
  });

  it('reads the parts an entry names, and leaves them out of an entry that names none', () => {
    const changes = [...TRUE_CHANGES, { change: 'added', parts: ['evidence_policy'], reason: 'Evidence without pictures.' }];
    const document = valid(withChangelog({ from: '1.0.0', changes }));
    expect(document.changelog!.changes[5]).toEqual({ change: 'added', keys: [], questions: [], parts: ['evidence_policy'], reason: 'Evidence without pictures.', references: [] });
    // Absent rather than empty: a changelog written before parts existed keeps its content hash.
    expect(document.changelog!.changes.slice(0, 5).every((entry) => !('parts' in entry))).toBe(true);
    expect(contentHash(valid(withChangelog({ from: '1.0.0', changes: TRUE_CHANGES.map((entry) => ({ ...entry, parts: [] })) })))).toBe(
      contentHash(valid(withChangelog({ from: '1.0.0', changes: TRUE_CHANGES }))),
    );
  });
});

describe('a changelog compared with the version it counts from', () => {
  it('matches when it names every change the comparison finds, and nothing else', () => {
    expect(changelogMismatches(earlier, valid(withChangelog({ from: '1.0.0', changes: TRUE_CHANGES })))).toEqual([]);
  });

  it('names each change the changelog leaves out, with what changed', () => {
    const missing = TRUE_CHANGES.filter((entry) => entry.change !== 'moved').map((entry) => (entry.keys.includes('ENE-01') ? { ...entry, keys: ['ENE-02'] } : entry));
    expect(changelogMismatches(earlier, valid(withChangelog({ from: '1.0.0', changes: missing })))).toEqual([
      { path: 'changelog.changes', message: 'requirement ENE-01 was changed since 1.0.0 (text), but no change names it as changed' },
      { path: 'changelog.changes', message: 'requirement REP-02 was moved since 1.0.0 (from REP), but no change names it as moved' },
    ]);
  });

  it('names each change the changelog claims that did not happen', () => {
    const claims = [
      ...TRUE_CHANGES,
      { change: 'changed', keys: ['REP-02'], reason: 'Not so.' },
      { change: 'moved', keys: ['ENE-01'], reason: 'Not so.' },
      { change: 'changed', questions: ['hosting_model'], reason: 'Not so.' },
    ];
    expect(changelogMismatches(earlier, valid(withChangelog({ from: '1.0.0', changes: claims })))).toEqual([
      { path: 'changelog.changes[5].keys', message: 'names REP-02 as changed, but it was moved since 1.0.0' },
      { path: 'changelog.changes[6].keys', message: 'names ENE-01 as moved, but it was changed since 1.0.0' },
      { path: 'changelog.changes[7].questions', message: 'names hosting_model as changed, but it is the same as in 1.0.0' },
    ]);
  });

  it('counts a changed profile question as a change the changelog must name', () => {
    const source = V110.replace('label: How are the servers hosted?', 'label: Where are the servers hosted?');
    const silent = valid(withChangelog({ from: '1.0.0', changes: TRUE_CHANGES }, source));
    expect(changelogMismatches(earlier, silent)).toEqual([{ path: 'changelog.changes', message: 'profile question hosting_model was changed since 1.0.0 (label), but no change names it as changed' }]);
    const told = valid(withChangelog({ from: '1.0.0', changes: [...TRUE_CHANGES, { change: 'changed', questions: ['hosting_model'], reason: 'Clearer.' }] }, source));
    expect(changelogMismatches(earlier, told)).toEqual([]);
  });

  it('refuses to compare with another version than the one it counts from', () => {
    const document = valid(withChangelog({ from: '0.9.0', changes: TRUE_CHANGES.filter((entry) => entry.change !== 'removed') }));
    expect(changelogMismatches(earlier, document)).toEqual([{ path: 'changelog.from', message: 'the changelog counts from green-hosting 0.9.0, but it was compared with green-hosting 1.0.0' }]);
  });

  describe('when the evidence policy changes', () => {
    const POLICY = { kinds: ['file', 'text'], file_types: ['documents'], embedded_images: 'refuse' };
    const policyEntry = (change: string) => ({ change, parts: ['evidence_policy'], reason: 'Evidence without pictures.' });

    /** A version of the green-hosting code with the given evidence policy (none when undefined) and changes. */
    function version(source: string, policy: Raw, changes?: Raw[]): CodeDocument {
      const document = parse(source) as Raw;
      if (policy !== undefined) document.evidence_policy = policy;
      if (changes) document.changelog = { from: '1.0.0', changes };
      return valid(parseCodeDocument(stringify(document)));
    }
    const withPolicy = version(V100, POLICY);

    it('asks for an added part when the earlier version declared none', () => {
      expect(changelogMismatches(earlier, version(V110, POLICY, TRUE_CHANGES))).toEqual([
        { path: 'changelog.changes', message: 'part evidence_policy was added since 1.0.0 (the earlier version declares none), but no change names it as added' },
      ]);
      expect(changelogMismatches(earlier, version(V110, POLICY, [...TRUE_CHANGES, policyEntry('added')]))).toEqual([]);
    });

    it('asks for a removed part when this version declares none', () => {
      expect(changelogMismatches(withPolicy, version(V110, undefined, TRUE_CHANGES))).toEqual([
        { path: 'changelog.changes', message: 'part evidence_policy was removed since 1.0.0 (this version declares none), but no change names it as removed' },
      ]);
      expect(changelogMismatches(withPolicy, version(V110, undefined, [...TRUE_CHANGES, policyEntry('removed')]))).toEqual([]);
    });

    it('asks for a changed part when both declare one and it differs, naming the fields', () => {
      const wider = { ...POLICY, kinds: ['file', 'link', 'text'] };
      expect(changelogMismatches(withPolicy, version(V110, wider, TRUE_CHANGES))).toEqual([
        { path: 'changelog.changes', message: 'part evidence_policy was changed since 1.0.0 (kinds), but no change names it as changed' },
      ]);
      expect(changelogMismatches(withPolicy, version(V110, wider, [...TRUE_CHANGES, policyEntry('changed')]))).toEqual([]);
    });

    it('refuses a part named with the wrong kind of change', () => {
      expect(changelogMismatches(earlier, version(V110, POLICY, [...TRUE_CHANGES, policyEntry('changed')]))).toEqual([
        { path: 'changelog.changes', message: 'part evidence_policy was added since 1.0.0 (the earlier version declares none), but no change names it as added' },
        { path: 'changelog.changes[5].parts', message: 'names evidence_policy as changed, but it was added since 1.0.0' },
      ]);
    });

    it('refuses a part named when the policy did not change', () => {
      expect(changelogMismatches(withPolicy, version(V110, POLICY, [...TRUE_CHANGES, policyEntry('changed')]))).toEqual([
        { path: 'changelog.changes[5].parts', message: 'names evidence_policy as changed, but it is the same as in 1.0.0' },
      ]);
      expect(changelogMismatches(earlier, version(V110, undefined, [...TRUE_CHANGES, policyEntry('removed')]))).toEqual([
        { path: 'changelog.changes[5].parts', message: 'names evidence_policy as removed, but it is the same as in 1.0.0' },
      ]);
    });
  });

  it('has nothing to say about a version without a changelog', () => {
    expect(changelogMismatches(earlier, valid(parseCodeDocument(V110)))).toEqual([]);
  });
});
