import { CodeDocument, DocumentProblem } from './code-document';
import { changelogProblems } from './changelog.rules';
import { evidencePolicyProblems } from './evidence-policy.rules';
import { ProfileRules } from './profile-rules';

/**
 * The checks that span fields: keys that must be unique, levels that must exist, choices that need
 * options, applicability rules that must be valid conditions over the code's own questions, a changelog
 * that names what this version holds, and an evidence policy that holds together.
 */
export function crossFieldProblems(document: CodeDocument): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });

  if (document.levels.length < 3) problem('levels', `a code needs at least three levels, it has ${document.levels.length}`);
  document.levels.forEach((level, index) => {
    if (level.level !== index + 1) problem(`levels[${index}].level`, `levels are numbered 1, 2, 3… in order: expected ${index + 1}, found ${level.level}`);
  });
  const levelNumbers = document.levels.map((level) => level.level);

  const questionKeys = new Set<string>();
  document.profileQuestions.forEach((question, index) => {
    const path = `profile_questions[${index}]`;
    if (questionKeys.has(question.key)) problem(`${path}.key`, `duplicate key ${question.key}`);
    questionKeys.add(question.key);
    const keyProblem = ProfileRules.keyProblem(question.key);
    if (keyProblem) problem(`${path}.key`, keyProblem);
    if (question.type === 'boolean' && question.options.length > 0) problem(`${path}.options`, 'a boolean question has no options');
    if (question.type !== 'boolean' && question.options.length < 2) problem(`${path}.options`, `a ${question.type} question needs at least two options`);
    const values = new Set<string>();
    question.options.forEach((option, optionIndex) => {
      if (values.has(option.value)) problem(`${path}.options[${optionIndex}].value`, `duplicate option ${option.value}`);
      values.add(option.value);
    });
  });

  // Rules can only be checked against questions that are themselves sound.
  const rules = problems.some((found) => found.path.startsWith('profile_questions')) ? null : new ProfileRules(document.profileQuestions);
  const sectionKeys = new Set<string>();
  const requirementKeys = new Set<string>();
  document.sections.forEach((section, sectionIndex) => {
    const path = `sections[${sectionIndex}]`;
    if (sectionKeys.has(section.key)) problem(`${path}.key`, `duplicate key ${section.key}`);
    sectionKeys.add(section.key);
    section.requirements.forEach((requirement, requirementIndex) => {
      const at = `${path}.requirements[${requirementIndex}]`;
      if (requirementKeys.has(requirement.key)) problem(`${at}.key`, `duplicate key ${requirement.key}`);
      requirementKeys.add(requirement.key);
      if (!levelNumbers.includes(requirement.level)) {
        problem(`${at}.level`, `level ${requirement.level} is not one of the code's levels (${levelNumbers.join(', ')})`);
      }
      if (requirement.appliesWhen !== null && rules) {
        const ruleProblem = rules.problem(requirement.appliesWhen);
        if (ruleProblem) problem(`${at}.applies_when`, ruleProblem);
      }
    });
  });
  problems.push(...changelogProblems(document));
  if (document.evidencePolicy) problems.push(...evidencePolicyProblems(document.evidencePolicy));
  return problems;
}
