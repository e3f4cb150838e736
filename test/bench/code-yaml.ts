/**
 * A code of conduct of `sections` × `perSection` requirements, in the structure of the bundled code
 * (src/codes/bundled/csea-detection-tools-1.0.0.yaml): three levels, no profile questions, no
 * applicability rules (so every requirement applies to any service), one requirement in three
 * needing evidence, and texts of a realistic length.
 */
export function codeYaml(slug: string, sections: number, perSection: number): string {
  const lines = [
    `code: ${slug}`,
    `title: Benchmark Code of ${sections * perSection} Requirements`,
    'owner: Benchmark Standards Office',
    "version: '1.0.0'",
    "effective_date: '2027-01-01'",
    'summary: >-',
    '  A generated code used to measure the assessment workspace, answer saving and evidence uploads at a realistic size.',
    'levels:',
    '  - level: 1',
    '    name: Declared',
    '    description: The provider declares and supports each requirement with its own records.',
    '  - level: 2',
    '    name: Assured',
    '    description: Backed by an independent certification or audit.',
    '  - level: 3',
    '    name: Audited',
    '    description: Audited by the monitoring body itself, with technical inspection.',
    'sections:',
  ];
  for (let s = 1; s <= sections; s += 1) {
    const section = `S${String(s).padStart(2, '0')}`;
    lines.push(`  - key: ${section}`, `    title: Section ${s} on governance topic ${s}`, `    summary: What the provider does about governance topic ${s}.`, '    requirements:');
    for (let r = 1; r <= perSection; r += 1) {
      const key = `${section}-${String(r).padStart(2, '0')}`;
      lines.push(
        `      - key: ${key}`,
        `        title: Requirement ${r} of section ${s}`,
        '        text: >-',
        `          The provider shall document, implement and review at least once a year the control ${key}, assign a named`,
        '          person responsible for it, keep records of its operation for five years and make them available to the',
        '          monitoring body on request, including any exceptions granted and the reasons for them.',
        `        guidance: Describe how control ${key} works in practice, who operates it and how its effectiveness is measured.`,
        `        evidence: A policy, procedure or report showing control ${key} in operation.`,
        `        level: ${((r - 1) % 3) + 1}`,
        `        evidence_required: ${r % 3 === 1}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
