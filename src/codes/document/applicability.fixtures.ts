import fc from 'fast-check';
import { stringify } from 'yaml';
import { CodeDocument, Profile, ProfileAnswer, ProfileQuestion, QuestionType, Requirement } from './code-document';
import { ProfileRules } from './profile-rules';

/* ---------------------------------------------------------------------------------------------------
 * Generators: question sets, complete profiles over them, and well-typed rules as a small tree that is
 * both rendered to CEL and evaluated here, so the library's answer can be checked against the tree's.
 * ------------------------------------------------------------------------------------------------- */

export type Rule =
  | { kind: 'bool'; key: string; negated: boolean }
  | { kind: 'compare'; key: string; op: '==' | '!='; value: string; literalFirst: boolean }
  | { kind: 'in'; key: string; value: string }
  | { kind: 'and' | 'or'; left: Rule; right: Rule }
  | { kind: 'not' | 'paren'; inner: Rule };

export const QUESTION_TYPES: QuestionType[] = ['boolean', 'single_choice', 'multiple_choice'];
// CEL words that keyProblem wrongly accepts (see parse-code-document.spec.ts); kept out so the properties test the rest.
export const KNOWN_BAD_KEYS = new Set(['in', 'null', 'true', 'false']);

// Besides random names, names that are CEL functions, macros or near keywords, which are legal variables.
export const TRICKY_KEYS = ['has', 'size', 'dyn', 'exists', 'all', 'filter', 'matches', 'contains', 'timestamp', 'duration', 'uint', 'double', 'bytes', 'or', 'and', 'not', 'is', 'if', 'in_use', 'null_ok', 'true_x', 'e', 'x'];
export const keyArb = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/), fc.constantFrom(...TRICKY_KEYS)).filter((key) => !KNOWN_BAD_KEYS.has(key) && ProfileRules.keyProblem(key) === null);
export const optionValueArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);

export const questionsArb: fc.Arbitrary<ProfileQuestion[]> = fc
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

export function answerArb(question: ProfileQuestion): fc.Arbitrary<ProfileAnswer> {
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
export function completeProfileArb(questions: readonly ProfileQuestion[]): fc.Arbitrary<Profile> {
  return fc.tuple(...questions.map(answerArb)).map((answers) => Object.fromEntries(questions.map((question, index) => [question.key, answers[index]])));
}

export function atomArb(questions: readonly ProfileQuestion[]): fc.Arbitrary<Rule> {
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
export function ruleArb(questions: readonly ProfileQuestion[], depth = 4): fc.Arbitrary<Rule> {
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

export function render(rule: Rule): string {
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
export function holds(rule: Rule, profile: Profile): boolean {
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
export function keysOf(rule: Rule): string[] {
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

export function requirement(key: string, appliesWhen: string | null): Requirement {
  return { key, title: `Requirement ${key}`, text: `The provider shall ${key}.`, guidance: null, evidence: null, level: 1, evidenceRequired: false, appliesWhen };
}

export function documentOf(questions: ProfileQuestion[], rules: ReadonlyArray<string | null>): CodeDocument {
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
export function toYaml(document: CodeDocument): string {
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
export const scenarioArb = questionsArb.chain((questions) =>
  fc.record({
    questions: fc.constant(questions),
    rules: fc.array(fc.option(ruleArb(questions), { nil: null, freq: 4 }), { minLength: 1, maxLength: 8 }),
    profile: completeProfileArb(questions),
  }),
);

export const RUNS = { numRuns: 150 };
