import { stringify } from 'yaml';
import { parseCodeDocument } from './parse-code-document';
import { ProfileRules } from './profile-rules';
import { BASE, Raw, parseWith, problemsOf, expectOnlyProblem, validDocument } from './parse-code-document.fixtures';

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

});
