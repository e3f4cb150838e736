import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { evaluateApplicability } from './applicability';
import { CodeDocument, Profile, ProfileAnswer, ProfileQuestion, QuestionType, Requirement } from './code-document';
import { parseCodeDocument } from './parse-code-document';
import { checkProfileAnswers } from './profile-answers';
import { ProfileRules } from './profile-rules';

/* ---------------------------------------------------------------------------------------------------
 * Generators: question sets, complete profiles over them, and well-typed rules as a small tree that is
 * both rendered to CEL and evaluated here, so the library's answer can be checked against the tree's.
 * ------------------------------------------------------------------------------------------------- */

type Rule =
  | { kind: 'bool'; key: string; negated: boolean }
  | { kind: 'compare'; key: string; op: '==' | '!='; value: string; literalFirst: boolean }
  | { kind: 'in'; key: string; value: string }
  | { kind: 'and' | 'or'; left: Rule; right: Rule }
  | { kind: 'not' | 'paren'; inner: Rule };

const QUESTION_TYPES: QuestionType[] = ['boolean', 'single_choice', 'multiple_choice'];
// CEL words that keyProblem wrongly accepts (see parse-code-document.spec.ts); kept out so the properties test the rest.
const KNOWN_BAD_KEYS = new Set(['in', 'null', 'true', 'false']);

// Besides random names, names that are CEL functions, macros or near keywords, which are legal variables.
const TRICKY_KEYS = ['has', 'size', 'dyn', 'exists', 'all', 'filter', 'matches', 'contains', 'timestamp', 'duration', 'uint', 'double', 'bytes', 'or', 'and', 'not', 'is', 'if', 'in_use', 'null_ok', 'true_x', 'e', 'x'];
const keyArb = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/), fc.constantFrom(...TRICKY_KEYS)).filter((key) => !KNOWN_BAD_KEYS.has(key) && ProfileRules.keyProblem(key) === null);
const optionValueArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);

const questionsArb: fc.Arbitrary<ProfileQuestion[]> = fc
  .uniqueArray(keyArb, { minLength: 1, maxLength: 5 })
  .chain((keys) =>
    fc.tuple(
      ...keys.map((key, index) =>
        fc.constantFrom(...QUESTION_TYPES).chain((type) =>
          (type === 'boolean' ? fc.constant([]) : fc.uniqueArray(optionValueArb, { minLength: 2, maxLength: 4 })).map(
            (values): ProfileQuestion => ({
              key,
              label: `Question ${index}?`,
              type,
              help: null,
              options: values.map((value, optionIndex) => ({ value, label: `Option ${index}.${optionIndex}` })),
            }),
          ),
        ),
      ),
    ),
  );

function answerArb(question: ProfileQuestion): fc.Arbitrary<ProfileAnswer> {
  const values = question.options.map((option) => option.value);
  switch (question.type) {
    case 'boolean':
      return fc.boolean();
    case 'single_choice':
      return fc.constantFrom(...values);
    case 'multiple_choice':
      return fc.shuffledSubarray(values);
  }
}

/** A profile answering every question with a well-typed answer. */
function completeProfileArb(questions: readonly ProfileQuestion[]): fc.Arbitrary<Profile> {
  return fc.tuple(...questions.map(answerArb)).map((answers) => Object.fromEntries(questions.map((question, index) => [question.key, answers[index]])));
}

function atomArb(questions: readonly ProfileQuestion[]): fc.Arbitrary<Rule> {
  return fc.constantFrom(...questions).chain((question): fc.Arbitrary<Rule> => {
    const values = question.options.map((option) => option.value);
    switch (question.type) {
      case 'boolean':
        return fc.boolean().map((negated) => ({ kind: 'bool', key: question.key, negated }));
      case 'single_choice':
        return fc.record({ op: fc.constantFrom<'==' | '!='>('==', '!='), value: fc.constantFrom(...values), literalFirst: fc.boolean() }).map(
          ({ op, value, literalFirst }) => ({ kind: 'compare', key: question.key, op, value, literalFirst }),
        );
      case 'multiple_choice':
        return fc.constantFrom(...values).map((value) => ({ kind: 'in', key: question.key, value }));
    }
  });
}

/** Rules over the questions, combinations nested at most `depth` deep. */
function ruleArb(questions: readonly ProfileQuestion[], depth = 4): fc.Arbitrary<Rule> {
  const atom = atomArb(questions);
  let rule = atom;
  for (let level = 1; level <= depth; level += 1) {
    const below = rule;
    rule = fc.oneof(
      { weight: 2, arbitrary: atom },
      { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom<'and' | 'or'>('and', 'or'), left: below, right: below }) },
      { weight: 1, arbitrary: below.map((inner): Rule => ({ kind: 'not', inner })) },
      { weight: 1, arbitrary: below.map((inner): Rule => ({ kind: 'paren', inner })) },
    );
  }
  return rule;
}

function render(rule: Rule): string {
  switch (rule.kind) {
    case 'bool':
      return rule.negated ? `!${rule.key}` : rule.key;
    case 'compare':
      return rule.literalFirst ? `"${rule.value}" ${rule.op} ${rule.key}` : `${rule.key} ${rule.op} "${rule.value}"`;
    case 'in':
      return `"${rule.value}" in ${rule.key}`;
    case 'and':
    case 'or': {
      const operator = rule.kind === 'and' ? '&&' : '||';
      // `a || b && c` already means `a || (b && c)`; a child of the other operator is bracketed to keep the tree's meaning.
      const side = (child: Rule) => ((child.kind === 'and' || child.kind === 'or') && child.kind !== rule.kind ? `(${render(child)})` : render(child));
      return `${side(rule.left)} ${operator} ${side(rule.right)}`;
    }
    case 'not':
      return `!(${render(rule.inner)})`;
    case 'paren':
      return `(${render(rule.inner)})`;
  }
}

/** What the rule means, computed here rather than by CEL. */
function holds(rule: Rule, profile: Profile): boolean {
  switch (rule.kind) {
    case 'bool':
      return (profile[rule.key] as boolean) !== rule.negated;
    case 'compare':
      return (profile[rule.key] === rule.value) === (rule.op === '==');
    case 'in':
      return (profile[rule.key] as string[]).includes(rule.value);
    case 'and':
      return holds(rule.left, profile) && holds(rule.right, profile);
    case 'or':
      return holds(rule.left, profile) || holds(rule.right, profile);
    case 'not':
      return !holds(rule.inner, profile);
    case 'paren':
      return holds(rule.inner, profile);
  }
}

/** The questions a rule reads, in the order they first appear in its text. */
function keysOf(rule: Rule): string[] {
  const keys = (node: Rule): string[] => {
    switch (node.kind) {
      case 'bool':
      case 'compare':
      case 'in':
        return [node.key];
      case 'and':
      case 'or':
        return [...keys(node.left), ...keys(node.right)];
      case 'not':
      case 'paren':
        return keys(node.inner);
    }
  };
  return [...new Set(keys(rule))];
}

function requirement(key: string, appliesWhen: string | null): Requirement {
  return { key, title: `Requirement ${key}`, text: `The provider shall ${key}.`, guidance: null, evidence: null, level: 1, evidenceRequired: false, appliesWhen };
}

function documentOf(questions: ProfileQuestion[], rules: ReadonlyArray<string | null>): CodeDocument {
  const requirements = rules.map((rule, index) => requirement(`R-${index}`, rule));
  // Two sections, so requirements are read across sections.
  const half = Math.ceil(requirements.length / 2);
  return {
    slug: 'generated',
    title: 'Generated code',
    owner: 'Property tests',
    version: '1.0.0',
    effectiveDate: '2027-01-01',
    summary: 'A generated code.',
    levels: [1, 2, 3].map((level) => ({ level, name: `Level ${level}`, description: `Level ${level}.` })),
    profileQuestions: questions,
    sections: [
      { key: 'S1', title: 'First', summary: null, requirements: requirements.slice(0, half) },
      { key: 'S2', title: 'Second', summary: null, requirements: requirements.slice(half) },
    ].filter((section) => section.requirements.length > 0),
  };
}

/** The document as its YAML file would hold it. */
function toYaml(document: CodeDocument): string {
  return stringify({
    code: document.slug,
    title: document.title,
    owner: document.owner,
    version: document.version,
    effective_date: document.effectiveDate,
    summary: document.summary,
    levels: document.levels,
    profile_questions: document.profileQuestions.map(({ key, label, type, options }) => (type === 'boolean' ? { key, label, type } : { key, label, type, options })),
    sections: document.sections.map((section) => ({
      key: section.key,
      title: section.title,
      requirements: section.requirements.map((r) => ({
        key: r.key,
        title: r.title,
        text: r.text,
        level: r.level,
        evidence_required: r.evidenceRequired,
        ...(r.appliesWhen === null ? {} : { applies_when: r.appliesWhen }),
      })),
    })),
  });
}

/** Questions, a set of rules over them (some requirements without one), and a complete profile. */
const scenarioArb = questionsArb.chain((questions) =>
  fc.record({
    questions: fc.constant(questions),
    rules: fc.array(fc.option(ruleArb(questions), { nil: null, freq: 4 }), { minLength: 1, maxLength: 8 }),
    profile: completeProfileArb(questions),
  }),
);

const RUNS = { numRuns: 150 };

describe('applicability rules (properties)', () => {
  it('(a) a requirement without a rule applies, whatever the profile', () => {
    const anyProfileArb: fc.Arbitrary<Profile> = fc.dictionary(
      fc.string({ maxLength: 8 }),
      fc.oneof(fc.boolean(), fc.string({ maxLength: 8 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })),
    );
    fc.assert(
      fc.property(questionsArb, anyProfileArb, (questions, profile) => {
        expect(new ProfileRules(questions).evaluate(null, profile)).toEqual({ applies: true });
        const result = evaluateApplicability(documentOf(questions, [null, null]), profile);
        expect(result).toEqual({ applicable: ['R-0', 'R-1'], excluded: [], undecided: [] });
      }),
      RUNS,
    );
  });

  it('(b) for a complete profile exactly one of r and !(r) applies, so !(r) excludes exactly what r keeps', () => {
    fc.assert(
      fc.property(scenarioArb, ({ questions, rules, profile }) => {
        const texts = rules.map((rule) => (rule ? render(rule) : 'true'));
        const engine = new ProfileRules(questions);
        for (const text of texts) {
          const outcome = engine.evaluate(text, profile);
          const negated = engine.evaluate(`!(${text})`, profile);
          expect('applies' in outcome && 'applies' in negated).toBe(true);
          expect((outcome as { applies: boolean }).applies).toBe(!(negated as { applies: boolean }).applies);
        }
        const kept = evaluateApplicability(documentOf(questions, texts), profile);
        const negatedResult = evaluateApplicability(
          documentOf(
            questions,
            texts.map((text) => `!(${text})`),
          ),
          profile,
        );
        expect(kept.undecided).toEqual([]);
        expect(negatedResult.undecided).toEqual([]);
        expect(negatedResult.excluded.map((exclusion) => exclusion.key)).toEqual(kept.applicable);
        expect(negatedResult.applicable).toEqual(kept.excluded.map((exclusion) => exclusion.key));
      }),
      RUNS,
    );
  });

  it('(c) every generated rule is a valid condition over its questions, and its code parses valid', () => {
    fc.assert(
      fc.property(scenarioArb, ({ questions, rules }) => {
        const engine = new ProfileRules(questions);
        for (const rule of rules) if (rule) expect(engine.problem(render(rule))).toBeNull();
        const document = documentOf(
          questions,
          rules.map((rule) => rule && render(rule)),
        );
        const parsed = parseCodeDocument(toYaml(document));
        expect(parsed).toMatchObject({ valid: true, document });
      }),
      { numRuns: 60 },
    );
  });

  it('(d) the requirements are partitioned into applicable and excluded, undecided being applicable', () => {
    // Profiles here may leave any question unanswered.
    const partialArb = scenarioArb.chain((scenario) =>
      fc.subarray(Object.keys(scenario.profile)).map((answered) => ({ ...scenario, profile: Object.fromEntries(answered.map((key) => [key, scenario.profile[key]])) })),
    );
    fc.assert(
      fc.property(partialArb, ({ questions, rules, profile }) => {
        const document = documentOf(
          questions,
          rules.map((rule) => rule && render(rule)),
        );
        const allKeys = document.sections.flatMap((section) => section.requirements.map((r) => r.key));
        const result = evaluateApplicability(document, profile);
        const excluded = result.excluded.map((exclusion) => exclusion.key);
        expect([...result.applicable, ...excluded].sort()).toEqual([...allKeys].sort());
        expect(result.applicable.filter((key) => excluded.includes(key))).toEqual([]);
        // Each list keeps the document's order.
        expect(result.applicable).toEqual(allKeys.filter((key) => result.applicable.includes(key)));
        expect(excluded).toEqual(allKeys.filter((key) => excluded.includes(key)));
        for (const undecided of result.undecided) expect(result.applicable).toContain(undecided.key);
        // An excluded requirement is excluded by its own rule, which is false for the profile.
        for (const exclusion of result.excluded) {
          const index = Number(exclusion.key.slice(2));
          expect(exclusion.rule).toBe(render(rules[index]!));
          expect(holds(rules[index]!, profile)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('(e) a rule reading an unanswered question leaves its requirement undecided, and counted as applicable', () => {
    const withMissingArb = scenarioArb
      .filter(({ rules }) => rules.some((rule) => rule !== null))
      .chain((scenario) => {
        const read = [...new Set(scenario.rules.flatMap((rule) => (rule ? keysOf(rule) : [])))];
        return fc.subarray(read, { minLength: 1 }).map((missing) => ({ ...scenario, missing }));
      });
    fc.assert(
      fc.property(withMissingArb, ({ questions, rules, profile, missing }) => {
        const partial = Object.fromEntries(Object.entries(profile).filter(([key]) => !missing.includes(key)));
        const texts = rules.map((rule) => rule && render(rule));
        const result = evaluateApplicability(documentOf(questions, texts), partial);
        rules.forEach((rule, index) => {
          const key = `R-${index}`;
          const unanswered = rule ? keysOf(rule).filter((question) => missing.includes(question)) : [];
          if (unanswered.length > 0) {
            expect(result.applicable).toContain(key);
            expect(result.undecided).toContainEqual({ key, rule: texts[index], questions: unanswered });
          } else {
            expect(result.undecided.map((entry) => entry.key)).not.toContain(key);
          }
        });
        expect(result.undecided.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('evaluates a rule as its meaning says, and reads the questions in order of appearance', () => {
    fc.assert(
      fc.property(
        questionsArb.chain((questions) => fc.tuple(fc.constant(questions), ruleArb(questions), completeProfileArb(questions))),
        ([questions, rule, profile]) => {
          const engine = new ProfileRules(questions);
          expect(engine.evaluate(render(rule), profile)).toEqual({ applies: holds(rule, profile) });
          expect(engine.questionsOf(render(rule))).toEqual(keysOf(rule));
        },
      ),
      RUNS,
    );
  });

  it('treats a wrongly typed or stale answer as unanswered', () => {
    fc.assert(
      fc.property(
        questionsArb.chain((questions) => fc.tuple(fc.constant(questions), ruleArb(questions), completeProfileArb(questions))),
        ([questions, rule, profile]) => {
          const [first] = keysOf(rule);
          const question = questions.find((candidate) => candidate.key === first)!;
          // A boolean where a choice is expected and the reverse, or an option the question no longer has.
          const stale: ProfileAnswer = question.type === 'boolean' ? 'yes' : question.type === 'single_choice' ? 'removed_option' : ['removed_option'];
          const outcome = new ProfileRules(questions).evaluate(render(rule), { ...profile, [first]: stale });
          expect(outcome).toEqual({ undecided: [first] });
        },
      ),
      RUNS,
    );
  });

  it('describes every generated rule in words, naming each question it reads by its label', () => {
    fc.assert(
      fc.property(
        questionsArb.chain((questions) => fc.tuple(fc.constant(questions), ruleArb(questions))),
        ([questions, rule]) => {
          const text = render(rule);
          const words = new ProfileRules(questions).describe(text);
          expect(words).not.toBe(text);
          for (const key of keysOf(rule)) expect(words).toContain(`“${questions.find((question) => question.key === key)!.label}”`);
        },
      ),
      RUNS,
    );
  });
});

describe('rules outside the supported operations', () => {
  const questions: ProfileQuestion[] = [
    { key: 'tools', label: 'Tools?', type: 'multiple_choice', help: null, options: [{ value: 'hash', label: 'Hash' }, { value: 'classifier', label: 'Classifier' }] },
  ];
  const rules = new ProfileRules(questions);
  const RULE = 'tools.exists(t, t == "hash")';

  // A macro's loop variable is not a question: such a rule could never be decided.
  it.each([RULE, 'tools.all(t, t == "hash")', 'size(tools) > 0', 'tools[0] == "hash"'])('refuses %s', (rule) => {
    expect(rules.problem(rule)).toMatch(/^rules may only compare answers with ==, != and in/);
  });

  it('accepts a list of options and checks each of them', () => {
    const single = new ProfileRules([{ key: 'kind', label: 'Kind?', type: 'single_choice', help: null, options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] }]);
    expect(single.problem('kind in ["a", "b"]')).toBeNull();
    expect(single.evaluate('kind in ["a", "b"]', { kind: 'b' })).toEqual({ applies: true });
    expect(single.problem('kind in ["a", "nope"]')).toBe('"nope" is not an option of kind (a, b)');
    expect(rules.problem('tools == ["nope"]')).toBe('"nope" is not an option of tools (hash, classifier)');
  });
});

describe('describe() on the bundled code', () => {
  const parsed = parseCodeDocument(readFileSync(join(__dirname, '..', 'bundled', 'csea-detection-tools-1.0.0.yaml'), 'utf8'));
  if (!parsed.valid) throw new Error('the bundled code does not parse');
  const document = parsed.document;
  const rules = new ProfileRules(document.profileQuestions);
  const label = (key: string) => document.profileQuestions.find((question) => question.key === key)!.label;
  const ruled = document.sections.flatMap((section) => section.requirements).filter((r) => r.appliesWhen !== null);

  it('puts every rule of the bundled code in words, with the labels of the questions it reads', () => {
    expect(ruled.length).toBeGreaterThan(0);
    for (const { appliesWhen } of ruled) {
      const words = rules.describe(appliesWhen!);
      expect(words).not.toBe(appliesWhen);
      for (const key of rules.questionsOf(appliesWhen!)) expect(words).toContain(`“${label(key)}”`);
    }
  });

  // The exact wording is not pinned down here; these check what the words must carry, in order: the
  // question labels, the option labels, yes or no, the connectives and the grouping.
  const CHILDREN = '“Is the service directed at children or widely used by them?”';
  const E2EE = '“Are communications on the service end-to-end encrypted?”';
  const EU = '“Is the service offered to users in the European Union or the European Economic Area?”';
  const NI_ICS = '“Is the service a number-independent interpersonal communications service?”';
  const YES = /\byes\b/;
  const NO = /\bno\b/;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  /** The parts, in this order, with anything between them. */
  const inOrder = (...parts: Array<string | RegExp>) => new RegExp(parts.map((part) => (typeof part === 'string' ? escape(part) : part.source)).join('.*'));

  it.each<[string, RegExp]>([
    ['directed_at_children', inOrder(CHILDREN, YES)],
    ['!directed_at_children', inOrder(CHILDREN, NO)],
    ['end_to_end_encrypted == false', inOrder(E2EE, NO)],
    ['end_to_end_encrypted != false', inOrder(E2EE, YES)],
    ['"grooming_detection" in tool_types', inOrder('“Which kinds of detection does the tool or service use?”', '“Detection of grooming or solicitation of children from text or behavioural signals”')],
    ['interpersonal_communications && eu_users', inOrder(NI_ICS, YES, ' and ', EU, YES)],
    ['interpersonal_communications || "messaging" in service_types', inOrder(NI_ICS, YES, ' or ', '“Which kinds of online service are concerned?”', '“Messaging”')],
    ['eu_users && (directed_at_children || !end_to_end_encrypted)', inOrder(EU, YES, ' and (', CHILDREN, YES, ' or ', E2EE, NO, ')')],
    ['!("develops" in provider_roles)', inOrder(/^not \(/, '“What does your organisation do with CSEA detection technology?”', '“Develops detection technology”', /\)$/)],
  ])('describes %s', (rule, words) => {
    expect(rules.problem(rule)).toBeNull();
    expect(rules.describe(rule)).toMatch(words);
  });

  it('words a boolean rule and its negation differently', () => {
    expect(rules.describe('directed_at_children')).not.toBe(rules.describe('!directed_at_children'));
    expect(rules.describe('!directed_at_children')).not.toMatch(YES);
    expect(rules.describe('directed_at_children')).not.toMatch(NO);
    expect(rules.describe('directed_at_children == true')).toBe(rules.describe('directed_at_children'));
    expect(rules.describe('directed_at_children != true')).toBe(rules.describe('!directed_at_children'));
  });

  it('words a single choice and its negation differently, both naming the option', () => {
    const questions: ProfileQuestion[] = [
      { key: 'model', label: 'Hosting model?', type: 'single_choice', help: null, options: [{ value: 'own', label: 'Own data centre' }, { value: 'cloud', label: 'Cloud' }] },
    ];
    const local = new ProfileRules(questions);
    const is = local.describe('model == "cloud"');
    const isNot = local.describe('model != "cloud"');
    for (const words of [is, isNot]) expect(words).toMatch(/“Hosting model\?”.*“Cloud”/);
    expect(isNot).not.toBe(is);
    expect(local.describe('"cloud" == model')).toBe(is);
  });

  it('falls back to the expression for forms it does not put in words', () => {
    expect(rules.problem('tool_types == ["hash_matching"]')).toBeNull();
    expect(rules.describe('tool_types == ["hash_matching"]')).toBe('tool_types == ["hash_matching"]');
  });
});

describe('checkProfileAnswers', () => {
  const questions: ProfileQuestion[] = [
    { key: 'for_children', label: 'For children?', type: 'boolean', help: null, options: [] },
    { key: 'model', label: 'Model?', type: 'single_choice', help: null, options: [{ value: 'own', label: 'Own' }, { value: 'cloud', label: 'Cloud' }] },
    { key: 'tools', label: 'Tools?', type: 'multiple_choice', help: null, options: [{ value: 'hash', label: 'Hash' }, { value: 'classifier', label: 'Classifier' }] },
  ];

  it('accepts well-typed answers', () => {
    expect(checkProfileAnswers(questions, { for_children: false, model: 'cloud', tools: ['classifier', 'hash'] })).toEqual({
      answers: { for_children: false, model: 'cloud', tools: ['classifier', 'hash'] },
      cleared: [],
      problems: {},
    });
    expect(checkProfileAnswers(questions, { tools: [] })).toEqual({ answers: { tools: [] }, cleared: [], problems: {} });
  });

  it('refuses a question no code asks', () => {
    expect(checkProfileAnswers(questions, { colour: 'red' })).toEqual({ answers: {}, cleared: [], problems: { 'profile.colour': ['no published code asks "colour"'] } });
  });

  it.each([
    ['for_children', 'yes', 'for_children is a yes-or-no question: answer true or false'],
    ['for_children', 1, 'for_children is a yes-or-no question: answer true or false'],
    ['for_children', ['true'], 'for_children is a yes-or-no question: answer true or false'],
    ['model', 'colocation', 'model takes one of: own, cloud'],
    ['model', true, 'model takes one of: own, cloud'],
    ['model', ['own'], 'model takes one of: own, cloud'],
    ['tools', 'hash', 'tools takes a list of: hash, classifier'],
    ['tools', ['hash', 'grooming'], 'tools takes a list of: hash, classifier'],
    ['tools', [true], 'tools takes a list of: hash, classifier'],
    ['tools', ['hash', 'hash'], 'tools lists an option twice'],
  ])('refuses %s = %j', (key, value, message) => {
    expect(checkProfileAnswers(questions, { [key]: value })).toEqual({ answers: {}, cleared: [], problems: { [`profile.${key}`]: [message] } });
  });

  it('clears an answer sent as null', () => {
    expect(checkProfileAnswers(questions, { model: null, for_children: true })).toEqual({ answers: { for_children: true }, cleared: ['model'], problems: {} });
  });

  it('clears an answer to a question no current code asks any more', () => {
    expect(checkProfileAnswers(questions, { retired_question: null })).toEqual({ answers: {}, cleared: ['retired_question'], problems: {} });
  });

  it('reports each problem and keeps the good answers', () => {
    const checked = checkProfileAnswers(questions, { for_children: 'no', model: 'own', tools: ['x'], other: true });
    expect(checked.answers).toEqual({ model: 'own' });
    expect(Object.keys(checked.problems).sort()).toEqual(['profile.for_children', 'profile.other', 'profile.tools']);
  });

  it('accepts an answer that fits any one of the codes asking the same key', () => {
    const asked: ProfileQuestion[] = [
      ...questions,
      { key: 'model', label: 'Model?', type: 'single_choice', help: null, options: [{ value: 'hybrid', label: 'Hybrid' }, { value: 'edge', label: 'Edge' }] },
    ];
    expect(checkProfileAnswers(asked, { model: 'edge' }).answers).toEqual({ model: 'edge' });
    expect(checkProfileAnswers(asked, { model: 'own' }).answers).toEqual({ model: 'own' });
    expect(checkProfileAnswers(asked, { model: 'mars' }).problems).toEqual({ 'profile.model': ['model takes one of: own, cloud'] });
  });
});
