import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodeDocument } from './code-document';
import { CodeDiff, diffCodes } from './code-diff';
import { describeProblems, parseCodeDocument } from './parse-code-document';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'codes');

function load(file: string): CodeDocument {
  const parsed = parseCodeDocument(readFileSync(join(FIXTURES, file), 'utf8'));
  if (!parsed.valid) throw new Error(`${file} does not parse:\n${describeProblems(parsed.problems)}`);
  return parsed.document;
}

const keys = (list: Array<{ key: string }>) => list.map((entry) => entry.key).sort();

describe('diffCodes', () => {
  const v100 = load('green-hosting-1.0.0.yaml');
  const v110 = load('green-hosting-1.1.0.yaml');
  const count = (document: CodeDocument) => document.sections.reduce((total, section) => total + section.requirements.length, 0);

  describe('from 1.0.0 to 1.1.0 of the green-hosting test code', () => {
    const diff = diffCodes(v100, v110);

    it('names the versions', () => {
      expect(diff.from).toBe('1.0.0');
      expect(diff.to).toBe('1.1.0');
    });

    it('adds exactly REP-03', () => {
      expect(diff.added).toEqual([{ key: 'REP-03', title: 'Scope 3 emissions', section: 'REP', level: 2 }]);
    });

    it('removes exactly ENE-03', () => {
      expect(diff.removed).toEqual([{ key: 'ENE-03', title: 'Heat reuse', section: 'ENE', level: 3 }]);
    });

    it('changes exactly ENE-01, ENE-02, REP-01 and REP-02', () => {
      expect(keys(diff.changed)).toEqual(['ENE-01', 'ENE-02', 'REP-01', 'REP-02']);
      expect(diff.unchanged).toBe(0);
    });

    const changesOf = (key: string) => diff.changed.find((entry) => entry.key === key)?.changes;

    it('changes the text of ENE-01', () => {
      expect(changesOf('ENE-01')).toEqual([
        {
          field: 'text',
          from: 'The provider shall source at least 90 % of its electricity from renewable sources.',
          to: 'The provider shall source all of its electricity from renewable sources.',
        },
      ]);
    });

    it('changes the applicability of ENE-02', () => {
      expect(changesOf('ENE-02')).toEqual([{ field: 'appliesWhen', from: 'hosting_model == "own_datacentre"', to: 'hosting_model != "cloud"' }]);
    });

    it('raises REP-01 from level 1 to level 2', () => {
      expect(changesOf('REP-01')).toEqual([{ field: 'level', from: 1, to: 2 }]);
    });

    it('moves REP-02 from section REP to ENE', () => {
      expect(changesOf('REP-02')).toEqual([{ field: 'section', from: 'REP', to: 'ENE' }]);
    });

    it('summarises a changed requirement as it is in the newer version', () => {
      expect(diff.changed.find((entry) => entry.key === 'REP-02')).toMatchObject({ key: 'REP-02', title: 'Data minimisation', section: 'ENE', level: 1 });
      expect(diff.changed.find((entry) => entry.key === 'REP-01')).toMatchObject({ level: 2 });
    });

    it('accounts for every requirement of both versions', () => {
      expect(diff.added.length + diff.changed.length + diff.unchanged).toBe(count(v110));
      expect(diff.removed.length + diff.changed.length + diff.unchanged).toBe(count(v100));
    });
  });

  it.each([
    ['1.0.0', () => v100],
    ['1.1.0', () => v110],
  ])('finds nothing between %s and itself', (_, document) => {
    const diff = diffCodes(document(), document());
    expect(diff).toEqual({ from: document().version, to: document().version, added: [], removed: [], changed: [], unchanged: count(document()), questions: { added: [], removed: [], changed: [] }, evidencePolicy: null });
  });

  it('finds nothing between a version and a fresh parse of the same file', () => {
    expect(diffCodes(v100, load('green-hosting-1.0.0.yaml'))).toMatchObject({ added: [], removed: [], changed: [], unchanged: 5 });
  });

  it('is symmetric: swapping the versions swaps added and removed, and each change', () => {
    const forward = diffCodes(v100, v110);
    const backward: CodeDiff = diffCodes(v110, v100);
    expect(backward.from).toBe('1.1.0');
    expect(backward.to).toBe('1.0.0');
    expect(backward.added).toEqual(forward.removed);
    expect(backward.removed).toEqual(forward.added);
    expect(backward.unchanged).toBe(forward.unchanged);
    expect(keys(backward.changed)).toEqual(keys(forward.changed));
    for (const change of forward.changed) {
      const reverse = backward.changed.find((entry) => entry.key === change.key)!;
      expect(reverse.changes).toEqual(change.changes.map(({ field, from, to }) => ({ field, from: to, to: from })));
    }
  });

  it('reports every field that changed on one requirement, in the order of the compared fields', () => {
    const edited = structuredClone(v100);
    const requirement = edited.sections[0].requirements[0];
    Object.assign(requirement, { title: 'Green electricity', guidance: 'Count the whole year.', evidenceRequired: false, appliesWhen: 'stores_personal_data' });
    const diff = diffCodes(v100, edited);
    expect(diff.changed).toEqual([
      {
        key: 'ENE-01',
        title: 'Green electricity',
        section: 'ENE',
        level: 1,
        changes: [
          { field: 'title', from: 'Renewable electricity', to: 'Green electricity' },
          { field: 'guidance', from: null, to: 'Count the whole year.' },
          { field: 'evidenceRequired', from: true, to: false },
          { field: 'appliesWhen', from: null, to: 'stores_personal_data' },
        ],
      },
    ]);
    expect(diff.unchanged).toBe(count(v100) - 1);
  });

  it('compares the profile questions by key: added, removed, and each field changed, options as one value', () => {
    const edited = structuredClone(v100);
    const [hosting] = edited.profileQuestions;
    hosting.help = 'Where most servers run.';
    hosting.options = hosting.options.filter((option) => option.value !== 'colocation');
    edited.profileQuestions = [hosting, { key: 'has_solar', label: 'Does the provider run solar panels?', type: 'boolean', help: null, options: [] }];
    expect(diffCodes(v100, edited).questions).toEqual({
      added: [{ key: 'has_solar', label: 'Does the provider run solar panels?' }],
      removed: [{ key: 'stores_personal_data', label: 'Does the service store personal data?' }],
      changed: [
        {
          key: 'hosting_model',
          label: 'How are the servers hosted?',
          changes: [
            { field: 'help', from: null, to: 'Where most servers run.' },
            {
              field: 'options',
              from: "own_datacentre (In the provider's own data centre); colocation (In a colocation facility); cloud (On another provider's cloud)",
              to: "own_datacentre (In the provider's own data centre); cloud (On another provider's cloud)",
            },
          ],
        },
      ],
    });
  });

  it('ignores a change of order within and across sections that keeps each requirement in its section', () => {
    const reordered = structuredClone(v100);
    reordered.sections.reverse();
    for (const section of reordered.sections) section.requirements.reverse();
    expect(diffCodes(v100, reordered)).toMatchObject({ added: [], removed: [], changed: [], unchanged: count(v100) });
  });
});
