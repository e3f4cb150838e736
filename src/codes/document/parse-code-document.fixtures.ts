import { join } from 'node:path';
import { stringify } from 'yaml';
import { CodeDocument, DocumentProblem } from './code-document';
import { describeProblems, ParsedCode, parseCodeDocument } from './parse-code-document';

export const BUNDLED = join(__dirname, '..', 'bundled', 'csea-detection-tools-1.0.0.yaml');

/* A small valid code version, as its YAML file holds it. Each case mutates a deep copy. */
export const BASE = {
  code: 'test-code',
  title: 'Test Code',
  owner: 'Test Owner',
  version: '1.0.0',
  effective_date: '2027-01-01',
  summary: 'A code for the tests.',
  levels: [
    { level: 1, name: 'Declared', description: 'Own records.' },
    { level: 2, name: 'Assured', description: 'A third-party audit.' },
    { level: 3, name: 'Audited', description: 'Inspection by the monitoring body.' },
  ],
  profile_questions: [
    { key: 'is_big', label: 'Is the service big?', type: 'boolean' },
    { key: 'kind', label: 'What kind of service?', type: 'single_choice', options: [{ value: 'shop', label: 'Shop' }, { value: 'forum', label: 'Forum' }] },
    { key: 'tool_types', label: 'Which tools?', type: 'multiple_choice', options: [{ value: 'hash', label: 'Hashes' }, { value: 'classifier', label: 'Classifiers' }] },
  ],
  sections: [
    {
      key: 'AAA',
      title: 'First section',
      requirements: [
        { key: 'A-01', title: 'One', text: 'The provider shall do one thing.', level: 1, evidence_required: true },
        { key: 'A-02', title: 'Two', text: 'The provider shall do two things.', level: 2, evidence_required: false, applies_when: 'is_big' },
      ],
    },
    {
      key: 'BBB',
      title: 'Second section',
      requirements: [{ key: 'B-01', title: 'Three', text: 'The provider shall do three things.', level: 3, evidence_required: true, applies_when: '"hash" in tool_types' }],
    },
  ],
};

// The YAML document is loosely typed on purpose: the cases put wrong types and unknown fields in it.
export type Raw = any;

export function parseWith(mutate: (document: Raw) => void): ParsedCode {
  const document: Raw = structuredClone(BASE);
  mutate(document);
  return parseCodeDocument(stringify(document));
}

export function problemsOf(parsed: ParsedCode): DocumentProblem[] {
  if (parsed.valid) throw new Error('expected the document to be refused, but it was valid');
  return parsed.problems;
}

/** The document is refused with exactly one problem, at `path`, whose message matches. */
export function expectOnlyProblem(parsed: ParsedCode, path: string, message: string | RegExp): void {
  const problems = problemsOf(parsed);
  expect(problems).toEqual([{ path, message: typeof message === 'string' ? message : expect.stringMatching(message) }]);
}

export function validDocument(parsed: ParsedCode): CodeDocument {
  if (!parsed.valid) throw new Error(`expected a valid document:\n${describeProblems(parsed.problems)}`);
  return parsed.document;
}
