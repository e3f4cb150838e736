import { CodeDocument, Profile } from './code-document';
import { ProfileRules } from './profile-rules';

export interface Applicability {
  applicable: string[];
  excluded: Array<{ key: string; rule: string }>;
  /** Requirements kept in because their rule reads a question the profile has not answered yet. */
  undecided: Array<{ key: string; rule: string; questions: string[] }>;
}

/** Sorts a code's requirements by a service's profile: those that apply, and for the others the rule that excluded them. */
export function evaluateApplicability(document: CodeDocument, profile: Profile): Applicability {
  const rules = new ProfileRules(document.profileQuestions);
  const result: Applicability = { applicable: [], excluded: [], undecided: [] };
  for (const requirement of document.sections.flatMap((section) => section.requirements)) {
    const outcome = rules.evaluate(requirement.appliesWhen, profile);
    if ('undecided' in outcome) {
      result.applicable.push(requirement.key);
      result.undecided.push({ key: requirement.key, rule: requirement.appliesWhen!, questions: outcome.undecided });
    } else if (outcome.applies) {
      result.applicable.push(requirement.key);
    } else {
      result.excluded.push({ key: requirement.key, rule: requirement.appliesWhen! });
    }
  }
  return result;
}
