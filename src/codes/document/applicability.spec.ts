import fc from 'fast-check';
import { evaluateApplicability } from './applicability';
import { Profile, ProfileAnswer, ProfileQuestion } from './code-document';
import { parseCodeDocument } from './parse-code-document';
import { ProfileRules } from './profile-rules';
import { questionsArb, completeProfileArb, ruleArb, render, holds, keysOf, documentOf, toYaml, scenarioArb, RUNS } from './applicability.fixtures';

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
