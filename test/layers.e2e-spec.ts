import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

interface Cruise {
  violations: { rule: string; from: string; to: string; cycle?: string[] }[];
  folderCycles: string[][];
}

/** What dependency-cruiser finds against .dependency-cruiser.cjs (see test/support/cruise-layers.mjs, an ES module). */
function cruise(): Cruise {
  const root = join(__dirname, '..');
  const output = execFileSync(process.execPath, [join(root, 'test/support/cruise-layers.mjs')], { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(output) as Cruise;
}

describe('the layers of src/ (ARCHITECTURE.md)', () => {
  let found: Cruise;

  beforeAll(() => {
    found = cruise();
  }, 120_000);

  it('has no import into a higher layer, from a folder left out of the layers, or around a cycle of files', () => {
    const violations = found.violations.map(({ rule, from, to, cycle }) => `${rule}: ${from} → ${cycle ? cycle.join(' → ') : to}`);
    expect(violations).toEqual([]);
  });

  it('has no top-level folders that import one another, directly or through others', () => {
    expect(found.folderCycles.map((folders) => folders.join(' ⇄ '))).toEqual([]);
  });
});
