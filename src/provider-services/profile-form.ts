import type { ProfileQuestion } from '../codes/document/code-document';

/**
 * Turns the profile part of the service form into answers: radio buttons send "true"/"false", an
 * untouched choice sends nothing (the answer is cleared), and unticked checkboxes mean none applies.
 */
export function profileFromForm(questions: readonly ProfileQuestion[], sent: Record<string, unknown> = {}): Record<string, unknown> {
  const profile: Record<string, unknown> = {};
  for (const question of questions) {
    const value = sent[question.key];
    switch (question.type) {
      case 'boolean':
        profile[question.key] = value === 'true' ? true : value === 'false' ? false : null;
        break;
      case 'single_choice':
        profile[question.key] = typeof value === 'string' && value !== '' ? value : null;
        break;
      case 'multiple_choice':
        profile[question.key] = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item) => item !== '');
        break;
    }
  }
  return profile;
}
