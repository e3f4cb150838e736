import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CodeDocument, DocumentProblem } from './document/code-document';
import { changelogMismatches } from './document/changelog-check';
import type { EvidencePolicy } from './document/evidence-policy';
import { parseCodeDocument } from './document/parse-code-document';

const USAGE = 'Usage: npm run code:validate -- FILE.yaml [FILE.yaml…] [--previous EARLIER.yaml…]';

/**
 * `npm run code:validate -- FILE… [--previous EARLIER…]`: checks code version files exactly as an import
 * would. A changelog is checked against the version it counts from when that version is among the files
 * given, as another file to check or after `--previous` (read only as the earlier version).
 */
function validate(files: string[], previous: string[]): boolean {
  const parsed = new Map([...files, ...previous].map((file) => [file, parseCodeDocument(read(file))] as const));
  const earlier = [...parsed.values()].flatMap((result) => (result.valid ? [result.document] : []));
  let allValid = true;
  for (const file of previous) {
    const result = parsed.get(file)!;
    if (!result.valid) {
      allValid = false;
      report(`${file} (given with --previous)`, result.problems);
    }
  }
  for (const file of files) {
    const result = parsed.get(file)!;
    if (!result.valid) {
      allValid = false;
      report(file, result.problems);
      continue;
    }
    const { document, contentHash } = result;
    const baseline = document.changelog && earlier.find((candidate) => candidate.slug === document.slug && candidate.version === document.changelog!.from);
    const mismatches = baseline ? changelogMismatches(baseline, document) : [];
    if (mismatches.length > 0) {
      allValid = false;
      report(file, mismatches);
      continue;
    }
    const requirements = document.sections.flatMap((section) => section.requirements);
    const conditional = requirements.filter((requirement) => requirement.appliesWhen !== null).length;
    console.log(
      `${file}: valid — ${document.slug} ${document.version}, ${document.levels.length} levels, ${document.profileQuestions.length} profile questions, ` +
        `${document.sections.length} sections, ${requirements.length} requirements (${conditional} conditional), content hash ${contentHash}`,
    );
    console.log(`  evidence policy: ${policySummary(document.evidencePolicy)}`);
    if (document.changelog) console.log(`  changelog from ${document.changelog.from}, ${document.changelog.changes.length} changes: ${changelogState(document, baseline)}`);
  }
  return allValid;
}

function changelogState(document: CodeDocument, baseline: CodeDocument | undefined | null): string {
  if (!baseline) return `not compared with ${document.changelog!.from}; give its file too, or with --previous, to check that the changelog matches the changes`;
  return `matches every change from ${baseline.version}`;
}

function policySummary(policy: EvidencePolicy | undefined): string {
  if (!policy) return 'none declared (the newest published version of the code that declares one applies, else every type Adhere accepts)';
  const files = policy.kinds.includes('file') ? ` (${policy.fileTypes.join(', ')})` : '';
  const confirmation = policy.confirmation ? ', a confirmation with each file' : '';
  return `accepts ${policy.kinds.map((kind) => (kind === 'file' ? `files${files}` : `${kind}s`)).join(', ')}; embedded images ${policy.embeddedImages === 'refuse' ? 'refused' : 'allowed'}${confirmation}`;
}

function report(file: string, problems: readonly DocumentProblem[]): void {
  console.error(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  for (const problem of problems) console.error(`  ${problem.path}: ${problem.message}`);
}

function read(file: string): string {
  // npm runs scripts from the project folder; a relative name means the caller's folder.
  return readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), file), 'utf8');
}

/** Splits the arguments into files to check and, after `--previous`, earlier versions to compare with. */
function parseArguments(args: string[]): { files: string[]; previous: string[] } {
  const files: string[] = [];
  const previous: string[] = [];
  let target = files;
  for (const arg of args) {
    if (arg === '--previous') target = previous;
    else if (arg.startsWith('--previous=')) previous.push(arg.slice('--previous='.length));
    else target.push(arg);
  }
  return { files, previous };
}

const { files, previous } = parseArguments(process.argv.slice(2));
if (files.length === 0) {
  console.error(USAGE);
  process.exit(2);
}
try {
  process.exit(validate(files, previous) ? 0 : 1);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
