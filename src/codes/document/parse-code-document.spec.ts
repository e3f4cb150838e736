import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isSeq, stringify } from 'yaml';
import { evaluateApplicability } from './applicability';
import { CodeDocument, DocumentProblem, Profile } from './code-document';
import { contentHash, describeProblems, ParsedCode, parseCodeDocument } from './parse-code-document';
import { ProfileRules } from './profile-rules';

const BUNDLED = join(__dirname, '..', 'bundled', 'csea-detection-tools-1.0.0.yaml');

/* A small valid code version, as its YAML file holds it. Each case mutates a deep copy. */
const BASE = {
  code: 'test-code',
  title: 'Test Code',
  owner: 'Test Owner',
  version: '1.0.0',
  effective_date: '2027-01-01',
  summary: 'A code for the tests.',
  levels: [
    { level: 1, name: 'Declared', description: 'Own records.' },
    { level: 2, name: 'Assured', description: 'A third-party audit.' },
    { level: 3, name: 'Audited', description: 'Inspection by the monitoring body.' },
  ],
  profile_questions: [
    { key: 'is_big', label: 'Is the service big?', type: 'boolean' },
    { key: 'kind', label: 'What kind of service?', type: 'single_choice', options: [{ value: 'shop', label: 'Shop' }, { value: 'forum', label: 'Forum' }] },
    { key: 'tool_types', label: 'Which tools?', type: 'multiple_choice', options: [{ value: 'hash', label: 'Hashes' }, { value: 'classifier', label: 'Classifiers' }] },
  ],
  sections: [
    {
      key: 'AAA',
      title: 'First section',
      requirements: [
        { key: 'A-01', title: 'One', text: 'The provider shall do one thing.', level: 1, evidence_required: true },
        { key: 'A-02', title: 'Two', text: 'The provider shall do two things.', level: 2, evidence_required: false, applies_when: 'is_big' },
      ],
    },
    {
      key: 'BBB',
      title: 'Second section',
      requirements: [{ key: 'B-01', title: 'Three', text: 'The provider shall do three things.', level: 3, evidence_required: true, applies_when: '"hash" in tool_types' }],
    },
  ],
};

// The YAML document is loosely typed on purpose: the cases put wrong types and unknown fields in it.
type Raw = any;

function parseWith(mutate: (document: Raw) => void): ParsedCode {
  const document: Raw = structuredClone(BASE);
  mutate(document);
  return parseCodeDocument(stringify(document));
}

function problemsOf(parsed: ParsedCode): DocumentProblem[] {
  if (parsed.valid) throw new Error('expected the document to be refused, but it was valid');
  return parsed.problems;
}

/** The document is refused with exactly one problem, at `path`, whose message matches. */
function expectOnlyProblem(parsed: ParsedCode, path: string, message: string | RegExp): void {
  const problems = problemsOf(parsed);
  expect(problems).toEqual([{ path, message: typeof message === 'string' ? message : expect.stringMatching(message) }]);
}

function validDocument(parsed: ParsedCode): CodeDocument {
  if (!parsed.valid) throw new Error(`expected a valid document:\n${describeProblems(parsed.problems)}`);
  return parsed.document;
}

describe('parseCodeDocument', () => {
  it('accepts the base document and normalises it', () => {
    const document = validDocument(parseWith(() => undefined));
    expect(document).toMatchObject({ slug: 'test-code', version: '1.0.0', effectiveDate: '2027-01-01' });
    expect(document.profileQuestions.map((question) => question.key)).toEqual(['is_big', 'kind', 'tool_types']);
    expect(document.sections[0].requirements[0]).toEqual({
      key: 'A-01',
      title: 'One',
      text: 'The provider shall do one thing.',
      guidance: null,
      evidence: null,
      level: 1,
      evidenceRequired: true,
      appliesWhen: null,
    });
  });

  describe('YAML itself', () => {
    it('reports a syntax error by line and column', () => {
      const text = stringify(BASE) + 'extra: [unclosed\nmore: 1\n';
      const problems = problemsOf(parseCodeDocument(text));
      expect(problems.length).toBeGreaterThanOrEqual(1);
      for (const problem of problems) expect(problem.path).toMatch(/^line \d+, column \d+$/);
      expect(problems[0].message).toMatch(/flow sequence/i);
      // The position is where the YAML breaks, after the base document's lines.
      const line = Number(/^line (\d+)/.exec(problems[0].path)![1]);
      expect(line).toBeGreaterThan(stringify(BASE).split('\n').length - 1);
    });

    it('reports a duplicate mapping key by the line of the second occurrence', () => {
      const lines = stringify(BASE).trimEnd().split('\n');
      const text = [...lines, 'title: Again'].join('\n') + '\n';
      expectOnlyProblem(parseCodeDocument(text), `line ${lines.length + 1}, column 1`, /keys must be unique/i);
    });

    it.each([
      ['a list', '- 1\n- 2\n'],
      ['a scalar', 'hello\n'],
      ['an empty file', ''],
    ])('refuses %s: a code version is a mapping', (_, text) => {
      expectOnlyProblem(parseCodeDocument(text), '(document)', /is a YAML mapping/);
    });

    it('refuses an alias whose anchor is not set', () => {
      expectOnlyProblem(parseCodeDocument('*!'), '(document)', /Unresolved alias/);
    });

    it('refuses aliases that would multiply a small file into a huge document', () => {
      const levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
      for (let level = 1; level < 9; level += 1) levels.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${String.fromCharCode(96 + level)}`).join(', ')}]`);
      expectOnlyProblem(parseCodeDocument(levels.join('\n') + '\n'), '(document)', /alias/i);
    });
  });

  describe('field shapes', () => {
    it('names a missing top-level field', () => {
      expectOnlyProblem(
        parseWith((document) => delete document.title),
        'title',
        'is missing',
      );
    });

    it('names a list item that is itself a list instead of failing on it', () => {
      expectOnlyProblem(
        parseWith((document) => (document.sections[0].requirements[1] = [])),
        'sections[0].requirements',
        'each item of requirements must be a mapping, not a list',
      );
      expectOnlyProblem(
        parseWith((document) => (document.levels[1] = [])),
        'levels',
        'each item of levels must be a mapping, not a list',
      );
    });

    it('names a missing nested field by its full path', () => {
      expectOnlyProblem(
        parseWith((document) => delete document.sections[0].requirements[1].text),
        'sections[0].requirements[1].text',
        'is missing',
      );
    });

    it('names a field of the wrong type', () => {
      expectOnlyProblem(
        parseWith((document) => (document.sections[0].requirements[0].evidence_required = 'yes')),
        'sections[0].requirements[0].evidence_required',
        'must be a boolean value',
      );
    });

    it('names a version written as a number', () => {
      expectOnlyProblem(
        parseWith((document) => (document.version = 1.5)),
        'version',
        /semantic version .* written as text/,
      );
    });

    it('names an unknown field', () => {
      expectOnlyProblem(
        parseWith((document) => (document.sections[0].colour = 'red')),
        'sections[0].colour',
        'is not an accepted field',
      );
    });

    it('refuses a version that is not semver', () => {
      expectOnlyProblem(
        parseWith((document) => (document.version = '1.0')),
        'version',
        '1.0 is not a semantic version such as 1.0.0',
      );
    });

    it('refuses an effective date that is not a real date', () => {
      expectOnlyProblem(
        parseWith((document) => (document.effective_date = '2027-02-30')),
        'effective_date',
        '2027-02-30 is not a date such as 2027-01-01',
      );
    });
  });

  describe('levels', () => {
    it('needs at least three levels', () => {
      expectOnlyProblem(
        parseWith((document) => {
          document.levels.pop();
          document.sections[1].requirements[0].level = 2;
        }),
        'levels',
        'a code needs at least three levels, it has 2',
      );
    });

    it('numbers the levels 1..n in order', () => {
      expectOnlyProblem(
        parseWith((document) => {
          document.levels[2].level = 4;
          document.sections[1].requirements[0].level = 2;
        }),
        'levels[2].level',
        'levels are numbered 1, 2, 3… in order: expected 3, found 4',
      );
    });
  });

  describe('profile questions', () => {
    it('refuses a duplicate question key', () => {
      expectOnlyProblem(
        parseWith((document) => (document.profile_questions[1].key = 'is_big')),
        'profile_questions[1].key',
        'duplicate key is_big',
      );
    });

    it.each(['as', 'break', 'package', 'while'])('refuses the reserved CEL word %s as a key', (word) => {
      expect(ProfileRules.keyProblem(word)).toBe(`"${word}" is a word of the rule language and cannot name a question`);
      expectOnlyProblem(
        parseWith((document) => {
          document.profile_questions[0].key = word;
          document.sections[0].requirements[1].applies_when = 'kind == "shop"';
        }),
        'profile_questions[0].key',
        `"${word}" is a word of the rule language and cannot name a question`,
      );
    });

    it('refuses a key that names a CEL type', () => {
      expectOnlyProblem(
        parseWith((document) => {
          document.profile_questions[0].key = 'int';
          document.sections[0].requirements[1].applies_when = 'kind == "shop"';
        }),
        'profile_questions[0].key',
        '"int" is a word of the rule language and cannot name a question',
      );
    });

    // A rule could never read such a question: `true` would read the literal, `in` would not parse.
    it.each(['in', 'null', 'true', 'false'])('refuses the CEL literal or operator word %s as a key', (word) => {
      const parsed = parseWith((document) => {
        document.profile_questions[0].key = word;
        document.sections[0].requirements[1].applies_when = 'kind == "shop"';
      });
      expect(problemsOf(parsed)).toContainEqual({ path: 'profile_questions[0].key', message: expect.stringContaining(word) });
    });

    it('refuses options on a boolean question', () => {
      expectOnlyProblem(
        parseWith((document) => (document.profile_questions[0].options = [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }])),
        'profile_questions[0].options',
        'a boolean question has no options',
      );
    });

    it.each([
      ['one option', (question: Raw) => question.options.pop()],
      ['no options', (question: Raw) => delete question.options],
    ])('refuses a choice question with %s', (_, mutate) => {
      expectOnlyProblem(
        parseWith((document) => mutate(document.profile_questions[1])),
        'profile_questions[1].options',
        'a single_choice question needs at least two options',
      );
    });

    it('refuses a duplicate option value', () => {
      expectOnlyProblem(
        parseWith((document) => (document.profile_questions[2].options[1].value = 'hash')),
        'profile_questions[2].options[1].value',
        'duplicate option hash',
      );
    });
  });

  describe('sections and requirements', () => {
    it('refuses a duplicate section key', () => {
      expectOnlyProblem(
        parseWith((document) => (document.sections[1].key = 'AAA')),
        'sections[1].key',
        'duplicate key AAA',
      );
    });

    it('refuses a requirement key used again in another section', () => {
      expectOnlyProblem(
        parseWith((document) => (document.sections[1].requirements[0].key = 'A-01')),
        'sections[1].requirements[0].key',
        'duplicate key A-01',
      );
    });

    it("refuses a requirement level that is not one of the code's levels", () => {
      expectOnlyProblem(
        parseWith((document) => (document.sections[1].requirements[0].level = 4)),
        'sections[1].requirements[0].level',
        "level 4 is not one of the code's levels (1, 2, 3)",
      );
    });
  });

  describe('applies_when', () => {
    const withRule = (rule: string) => parseWith((document) => (document.sections[1].requirements[0].applies_when = rule));
    const PATH = 'sections[1].requirements[0].applies_when';

    it('refuses a syntax error', () => {
      expectOnlyProblem(withRule('is_big &&'), PATH, /unexpected token/i);
    });

    it('refuses an unknown variable', () => {
      expectOnlyProblem(withRule('is_small'), PATH, /unknown variable: is_small/i);
    });

    it('refuses a rule that is not true or false', () => {
      expectOnlyProblem(withRule('kind'), PATH, 'the rule must be true or false, but it gives a string');
    });

    it('refuses a string that is not an option of the question', () => {
      expectOnlyProblem(withRule('"x" in tool_types'), PATH, '"x" is not an option of tool_types (hash, classifier)');
    });

    it('refuses an unknown option compared with a single choice, on either side', () => {
      expectOnlyProblem(withRule('kind == "blog"'), PATH, /"blog" is not an option of kind/);
      expectOnlyProblem(withRule('"blog" != kind'), PATH, /"blog" is not an option of kind/);
    });
  });

  describe('several problems', () => {
    it('reports every shape problem at once', () => {
      const problems = problemsOf(
        parseWith((document) => {
          delete document.title;
          document.version = 'one';
          document.sections[0].colour = 'red';
          document.sections[1].requirements[0].evidence_required = 'no';
        }),
      );
      expect(problems).toHaveLength(4);
      expect(problems).toEqual(
        expect.arrayContaining([
          { path: 'title', message: 'is missing' },
          { path: 'version', message: 'one is not a semantic version such as 1.0.0' },
          { path: 'sections[0].colour', message: 'is not an accepted field' },
          { path: 'sections[1].requirements[0].evidence_required', message: 'must be a boolean value' },
        ]),
      );
    });

    it('reports every cross-field problem at once', () => {
      const problems = problemsOf(
        parseWith((document) => {
          document.levels[2].level = 5;
          document.sections[1].key = 'AAA';
          document.sections[1].requirements[0].key = 'A-02';
          document.sections[0].requirements[1].applies_when = 'nope';
        }),
      );
      expect(problems.map((problem) => problem.path)).toEqual([
        'levels[2].level',
        'sections[0].requirements[1].applies_when',
        'sections[1].key',
        'sections[1].requirements[0].key',
        'sections[1].requirements[0].level',
      ]);
    });

    it('describes problems one a line, path first', () => {
      expect(describeProblems([{ path: 'a', message: 'x' }, { path: 'b[0].c', message: 'y' }])).toBe('a: x\nb[0].c: y');
    });
  });

  describe('contentHash', () => {
    const original = parseWith(() => undefined);

    /** The same mapping with its keys in reverse order, at every depth. */
    function reversed(value: unknown): unknown {
      if (Array.isArray(value)) return value.map(reversed);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reversed(inner)]));
      return value;
    }

    it('is the hash of the normalised document', () => {
      expect(original.valid && original.contentHash).toBe(contentHash(validDocument(original)));
      expect(original.valid && original.contentHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('does not change with key order, comments, flow style, quoting or surrounding spaces', () => {
      const yaml = new Document(reversed(BASE));
      yaml.commentBefore = ' A comment that changes nothing.';
      const levels = yaml.get('levels');
      if (isSeq(levels)) levels.flow = true;
      const sections = yaml.get('sections');
      if (isSeq(sections) && isMap(sections.items[0])) sections.items[0].commentBefore = ' The first section.';
      let text = yaml.toString({ defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', indent: 4 });
      // Folded text with surrounding spaces is trimmed to the same requirement text.
      text = text.replace(/^( *)text: "The provider shall do one thing."$/m, (_, indent: string) => `${indent}text: >-\n${indent}    The provider shall do\n${indent}    one thing.   `);
      expect(text).toContain('>-');
      expect(text).toContain('# The first section.');
      expect(text).toMatch(/levels:\s*\[/);
      const reformatted = parseCodeDocument(text);
      expect(validDocument(reformatted).sections[0].requirements[0].text).toBe('The provider shall do one thing.');
      expect(reformatted.valid && reformatted.contentHash).toBe(original.valid && original.contentHash);
    });

    it('changes when a requirement text changes', () => {
      const changed = parseWith((document) => (document.sections[0].requirements[0].text = 'The provider shall do one other thing.'));
      expect(changed.valid).toBe(true);
      expect(changed.valid && changed.contentHash).not.toBe(original.valid && original.contentHash);
    });

    it('changes when a rule changes', () => {
      const changed = parseWith((document) => (document.sections[0].requirements[1].applies_when = '!is_big'));
      expect(changed.valid && changed.contentHash).not.toBe(original.valid && original.contentHash);
    });
  });
});

describe('the bundled CSEA detection-tools code', () => {
  const text = readFileSync(BUNDLED, 'utf8');
  const parsed = parseCodeDocument(text);
  const document = validDocument(parsed);
  const requirements = document.sections.flatMap((section) => section.requirements);
  const rules = new ProfileRules(document.profileQuestions);
  const reads = (question: string) => requirements.filter((requirement) => requirement.appliesWhen && rules.questionsOf(requirement.appliesWhen).includes(question));

  /** A complete profile: every question answered, with the given answers overriding. */
  function profile(overrides: Profile): Profile {
    const answers: Profile = {};
    for (const question of document.profileQuestions) {
      answers[question.key] = question.type === 'boolean' ? false : question.type === 'single_choice' ? question.options[0].value : [];
    }
    return { ...answers, ...overrides };
  }

  it('parses valid', () => {
    expect(parsed.valid).toBe(true);
    expect(document.slug).toBe('csea-detection-tools');
    expect(document.version).toBe('1.0.0');
  });

  it('has at least 9 sections and 45 requirements', () => {
    expect(document.sections.length).toBeGreaterThanOrEqual(9);
    expect(requirements.length).toBeGreaterThanOrEqual(45);
  });

  it('gives every requirement a unique key', () => {
    const keys = requirements.map((requirement) => requirement.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has at least 5 requirements for services directed at children, excluded when the service is not', () => {
    const forChildren = reads('directed_at_children').map((requirement) => requirement.key);
    expect(forChildren.length).toBeGreaterThanOrEqual(5);
    const notForChildren = evaluateApplicability(document, profile({ directed_at_children: false }));
    const excluded = notForChildren.excluded.map((exclusion) => exclusion.key);
    expect(forChildren.filter((key) => excluded.includes(key)).length).toBeGreaterThanOrEqual(5);
    expect(notForChildren.undecided).toEqual([]);
    const forChildrenApplicable = evaluateApplicability(document, profile({ directed_at_children: true })).applicable;
    expect(forChildrenApplicable).toEqual(expect.arrayContaining(forChildren));
  });

  it('has at least one rule on end-to-end encryption', () => {
    expect(reads('end_to_end_encrypted').length).toBeGreaterThanOrEqual(1);
  });

  it('has at least one rule on a service or tool type', () => {
    expect(reads('service_types').length + reads('tool_types').length).toBeGreaterThanOrEqual(1);
  });

  it('applies every requirement without a rule to any profile', () => {
    const unconditional = requirements.filter((requirement) => requirement.appliesWhen === null).map((requirement) => requirement.key);
    expect(unconditional.length).toBeGreaterThan(0);
    expect(evaluateApplicability(document, profile({})).applicable).toEqual(expect.arrayContaining(unconditional));
  });
});
