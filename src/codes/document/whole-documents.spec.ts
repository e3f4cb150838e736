import { readFileSync } from 'node:fs';
import { Document, isMap, isSeq } from 'yaml';
import { evaluateApplicability } from './applicability';
import { Profile } from './code-document';
import { contentHash, describeProblems, parseCodeDocument } from './parse-code-document';
import { ProfileRules } from './profile-rules';
import { BUNDLED, BASE, parseWith, problemsOf, validDocument } from './parse-code-document.fixtures';

describe('parseCodeDocument', () => {
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
