import { FieldErrors } from '../../common/errors/field-errors';
import { ProfileAnswer, ProfileQuestion } from './code-document';

export interface CheckedAnswers {
  /** Answers to set, by question key. */
  answers: Record<string, ProfileAnswer>;
  /** Questions whose answer is cleared (sent as null). */
  cleared: string[];
  problems: FieldErrors;
}

/**
 * Checks a service's answers against the questions the codes ask. A key may be asked by several codes;
 * an answer is accepted when it fits one of them.
 */
export function checkProfileAnswers(questions: readonly ProfileQuestion[], sent: Record<string, unknown>): CheckedAnswers {
  const result: CheckedAnswers = { answers: {}, cleared: [], problems: {} };
  for (const [key, value] of Object.entries(sent)) {
    const path = `profile.${key}`;
    const asked = questions.filter((question) => question.key === key);
    if (value === null) {
      // Clearing is always allowed, also for a question no current code asks any more.
      result.cleared.push(key);
    } else if (asked.length === 0) {
      result.problems[path] = [`no published code asks "${key}"`];
    } else {
      const problems = asked.map((question) => answerProblem(question, value));
      if (problems.includes(null)) result.answers[key] = value as ProfileAnswer;
      else result.problems[path] = [problems[0]!];
    }
  }
  return result;
}

function answerProblem(question: ProfileQuestion, value: unknown): string | null {
  const options = question.options.map((option) => option.value);
  switch (question.type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `${question.key} is a yes-or-no question: answer true or false`;
    case 'single_choice':
      return typeof value === 'string' && options.includes(value) ? null : `${question.key} takes one of: ${options.join(', ')}`;
    case 'multiple_choice':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && options.includes(item))) {
        return `${question.key} takes a list of: ${options.join(', ')}`;
      }
      return new Set(value).size === value.length ? null : `${question.key} lists an option twice`;
  }
}
