import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProfileQuestion } from './code-document';
import { parseCodeDocument } from './parse-code-document';
import { ProfileRules } from './profile-rules';

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
