// Cruises src/ with the rules of .dependency-cruiser.cjs through dependency-cruiser's API and prints, as
// JSON, the rules it breaks (`violations`) and, from a second cruise with each top-level folder collapsed
// into one node, every group of folders that import one another (`folderCycles`), found here whatever the layer list says.
// An ES module, as dependency-cruiser is.
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const tsConfig = extractTSConfig('./tsconfig.json');

const files = await cruise(['src'], { ...options, validate: true }, {}, { tsConfig });
const violations = files.output.summary.violations.map(({ rule, from, to, cycle }) => ({
  rule: rule.name,
  from,
  to,
  ...(cycle ? { cycle: cycle.map((step) => step.name) } : {}),
}));

const folders = await cruise(['src'], { ...options, validate: false, collapse: '^src/[^/]+/' }, {}, { tsConfig });
const imports = new Map(folders.output.modules.map((module) => [module.source, module.dependencies.map((dependency) => dependency.resolved).filter((to) => to !== module.source)]));

/** Groups of folders that import one another, directly or through others (Tarjan's strongly connected components). */
function cyclesOf(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const groups = [];
  const visit = (node) => {
    index.set(node, index.size);
    low.set(node, index.get(node));
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group = [];
    let member;
    do {
      member = stack.pop();
      group.push(member);
    } while (member !== node);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups;
}

process.stdout.write(JSON.stringify({ violations, folderCycles: cyclesOf(imports) }));
