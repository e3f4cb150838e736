import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EvidencePolicy } from './document/evidence-policy';
import { parseCodeDocument } from './document/parse-code-document';

/** `npm run code:validate -- FILE…`: checks code version files exactly as an import would. */
function validate(files: string[]): boolean {
  let allValid = true;
  for (const file of files) {
    // npm runs scripts from the project folder; a relative name means the caller's folder.
    const parsed = parseCodeDocument(readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), file), 'utf8'));
    if (parsed.valid) {
      const { document, contentHash } = parsed;
      const requirements = document.sections.flatMap((section) => section.requirements);
      const conditional = requirements.filter((requirement) => requirement.appliesWhen !== null).length;
      console.log(
        `${file}: valid — ${document.slug} ${document.version}, ${document.levels.length} levels, ${document.profileQuestions.length} profile questions, ` +
          `${document.sections.length} sections, ${requirements.length} requirements (${conditional} conditional), content hash ${contentHash}`,
      );
      console.log(`  evidence policy: ${policySummary(document.evidencePolicy)}`);
    } else {
      allValid = false;
      console.error(`${file}: ${parsed.problems.length} problem${parsed.problems.length === 1 ? '' : 's'}`);
      for (const problem of parsed.problems) console.error(`  ${problem.path}: ${problem.message}`);
    }
  }
  return allValid;
}

function policySummary(policy: EvidencePolicy | undefined): string {
  if (!policy) return 'none declared (the newest published version of the code that declares one applies, else every type Adhere accepts)';
  const files = policy.kinds.includes('file') ? ` (${policy.fileTypes.join(', ')})` : '';
  const confirmation = policy.confirmation ? ', a confirmation with each file' : '';
  return `accepts ${policy.kinds.map((kind) => (kind === 'file' ? `files${files}` : `${kind}s`)).join(', ')}; embedded images ${policy.embeddedImages === 'refuse' ? 'refused' : 'allowed'}${confirmation}`;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('Usage: npm run code:validate -- FILE.yaml [FILE.yaml…]');
  process.exit(2);
}
try {
  process.exit(validate(files) ? 0 : 1);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
