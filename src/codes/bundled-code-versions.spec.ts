import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateApplicability } from './document/applicability';
import { changelogMismatches } from './document/changelog-check';
import { diffCodes } from './document/code-diff';
import { CHANGE_KINDS, ChangeKind, CodeDocument, Profile } from './document/code-document';
import { describeProblems, parseCodeDocument } from './document/parse-code-document';
import { ProfileRules } from './document/profile-rules';
import { BUNDLED_CODES_DIRECTORY, byCodeThenVersion } from './bundled-codes.loader';

const read = (version: string) => readFileSync(join(BUNDLED_CODES_DIRECTORY, `csea-detection-tools-${version}.yaml`), 'utf8');

function load(version: string): { document: CodeDocument; contentHash: string } {
  const parsed = parseCodeDocument(read(version));
  if (!parsed.valid) throw new Error(`csea-detection-tools ${version} does not parse:\n${describeProblems(parsed.problems)}`);
  return parsed;
}

const v100 = load('1.0.0');
const v110 = load('1.1.0');
const requirementsOf = (document: CodeDocument) => document.sections.flatMap((section) => section.requirements);
const sorted = (keys: Iterable<string>) => [...keys].sort();

/** A complete profile of a service that deploys hash matching on a messaging service in the EU. */
const DEPLOYER: Profile = {
  provider_roles: ['deploys'],
  tool_types: ['hash_matching'],
  service_types: ['messaging'],
  directed_at_children: false,
  end_to_end_encrypted: false,
  interpersonal_communications: true,
  eu_users: true,
};

describe('the bundled CSEA code', () => {
  describe('version 1.0.0', () => {
    it('stays byte for byte what was published, with the same content hash', () => {
      // A published version never changes: an edit belongs in a new version.
      expect(createHash('sha256').update(read('1.0.0')).digest('hex')).toBe('b9091ea6ef9646ea9b4fd12ae8d659fdb7e6a8a666ed5369a59c7aa32ca44e59');
      expect(v100.contentHash).toBe('a32a3f262e0f284ba5c93a95f42989ad55a85e493bd002ca82d4ce465e7d2584');
      expect(v100.document.changelog).toBeUndefined();
    });
  });

  describe('version 1.1.0', () => {
    const diff = diffCodes(v100.document, v110.document);

    it('validates, and counts its changelog from 1.0.0', () => {
      expect(v110.document).toMatchObject({ slug: 'csea-detection-tools', version: '1.1.0', effectiveDate: '2027-07-01' });
      expect(v110.document.changelog?.from).toBe('1.0.0');
    });

    it('has a changelog that names exactly the changes the comparison with 1.0.0 finds', () => {
      const claimed = (field: 'keys' | 'questions' | 'parts', kind: ChangeKind) =>
        sorted(new Set(v110.document.changelog!.changes.filter((entry) => entry.change === kind).flatMap((entry) => entry[field] ?? [])));
      const changedFields = (entry: (typeof diff.changed)[number]) => entry.changes.map((change) => change.field);
      expect(claimed('keys', 'added')).toEqual(sorted(diff.added.map((entry) => entry.key)));
      expect(claimed('keys', 'removed')).toEqual(sorted(diff.removed.map((entry) => entry.key)));
      expect(claimed('keys', 'changed')).toEqual(sorted(diff.changed.filter((entry) => changedFields(entry).some((field) => field !== 'section')).map((entry) => entry.key)));
      expect(claimed('keys', 'moved')).toEqual(sorted(diff.changed.filter((entry) => changedFields(entry).includes('section')).map((entry) => entry.key)));
      expect(claimed('questions', 'added')).toEqual(sorted(diff.questions.added.map((entry) => entry.key)));
      expect(claimed('questions', 'removed')).toEqual(sorted(diff.questions.removed.map((entry) => entry.key)));
      expect(claimed('questions', 'changed')).toEqual(sorted(diff.questions.changed.map((entry) => entry.key)));
      // 1.0.0 declared no evidence policy, so 1.1.0's is added, and it is the only part that changed.
      expect(diff.evidencePolicy).toMatchObject({ from: null, to: v110.document.evidencePolicy });
      expect(CHANGE_KINDS.map((kind) => [kind, claimed('parts', kind)])).toEqual([
        ['added', ['evidence_policy']],
        ['changed', []],
        ['removed', []],
        ['moved', []],
      ]);
      // The same check as an import makes.
      expect(changelogMismatches(v100.document, v110.document)).toEqual([]);
    });

    it('adds the four new requirements and a profile question, removes nothing and keeps every other key', () => {
      expect(sorted(diff.added.map((entry) => entry.key))).toEqual(['LAW-09', 'OVS-07', 'SBD-08', 'SBD-09']);
      expect(diff.removed).toEqual([]);
      expect(diff.questions).toMatchObject({ added: [{ key: 'children_user_share' }], removed: [], changed: [{ key: 'directed_at_children' }] });
      const kept = requirementsOf(v110.document).filter((requirement) => !diff.added.some((entry) => entry.key === requirement.key));
      expect(sorted(kept.map((requirement) => requirement.key))).toEqual(sorted(requirementsOf(v100.document).map((requirement) => requirement.key)));
      expect(diff.unchanged + diff.changed.length).toBe(kept.length);
    });

    it('gives every change a reason and at least one reference', () => {
      for (const entry of v110.document.changelog!.changes) {
        expect(entry.reason.length).toBeGreaterThan(80);
        expect(entry.references.length).toBeGreaterThan(0);
      }
    });

    it('backs the negative claims with required evidence', () => {
      const byKey = new Map(requirementsOf(v110.document).map((requirement) => [requirement.key, requirement]));
      for (const key of ['SBD-02', 'LIC-04']) {
        expect(byKey.get(key)).toMatchObject({ evidenceRequired: true });
        expect(byKey.get(key)!.evidence).not.toMatch(/if the provider chooses/);
      }
    });

    it('sets time limits instead of "promptly" and "without (undue) delay"', () => {
      const vague = /\bpromptly\b|\bprompt triage\b|without (undue )?delay|\btimely\b|significant share/i;
      const old = requirementsOf(v100.document).filter((requirement) => vague.test([requirement.text, requirement.guidance, requirement.evidence].join(' ')));
      expect(old.length).toBeGreaterThan(0);
      for (const requirement of requirementsOf(v110.document)) expect([requirement.key, requirement.text, requirement.guidance, requirement.evidence].join(' ')).not.toMatch(vague);
      for (const question of v110.document.profileQuestions) expect(`${question.label} ${question.help}`).not.toMatch(vague);
    });

    it('raises the record of misuse and attempted extension of use to level 1', () => {
      const rsk06 = requirementsOf(v110.document).find((requirement) => requirement.key === 'RSK-06')!;
      expect(rsk06).toMatchObject({ level: 1, evidenceRequired: true, appliesWhen: null });
      expect(rsk06.text).toMatch(/attempt to extend its use/);
      expect(rsk06.text).toMatch(/once a year it shall\s+publish/);
    });

    it('puts every applicability rule in words', () => {
      const rules = new ProfileRules(v110.document.profileQuestions);
      for (const { appliesWhen } of requirementsOf(v110.document).filter((requirement) => requirement.appliesWhen !== null)) {
        expect(rules.describe(appliesWhen!)).not.toBe(appliesWhen);
      }
      expect(rules.describe('!directed_at_children && children_user_share in ["under_5_percent", "no_service"]')).toBe(
        '“Is the service designed for children, or directed or marketed at them?” is answered no and ' +
          '“What share of the service\'s monthly active users are children, as last measured under SBD-08?” is answered “Less than 5%” or ' +
          '“No service of its own (the provider develops or licenses detection technology only)”',
      );
    });

    describe('the measured test of a service widely used by children', () => {
      const CHILD_KEYS = ['LAW-09', 'TRM-06', 'SBD-04', 'SBD-05', 'SBD-06', 'SBD-07', 'REV-04'];
      const applicable = (profile: Profile) => evaluateApplicability(v110.document, profile);

      it.each([
        ['under 5%', 'under_5_percent', false],
        ['5% to 20%', 'from_5_to_20_percent', true],
        ['20% to 50%', 'from_20_to_50_percent', true],
        ['50% or more', 'from_50_percent', true],
        ['not measured', 'not_measured', true],
      ])('a share of children %s makes the service widely used by children: %s', (_band, share, childRules) => {
        const result = applicable({ ...DEPLOYER, children_user_share: share });
        expect(result.undecided).toEqual([]);
        for (const key of CHILD_KEYS) expect(result.applicable.includes(key)).toBe(childRules);
        // One consultation requirement or the other, never both.
        expect(result.applicable.includes('LAW-03')).toBe(!childRules);
      });

      it('a service designed for children is treated as one whatever its measured share', () => {
        const result = applicable({ ...DEPLOYER, directed_at_children: true, children_user_share: 'under_5_percent' });
        for (const key of CHILD_KEYS) expect(result.applicable).toContain(key);
        expect(result.excluded).toContainEqual({ key: 'LAW-03', rule: expect.any(String) });
      });

      it('keeps the stricter requirements in while the share is unanswered', () => {
        const result = applicable(DEPLOYER);
        for (const key of CHILD_KEYS) expect(result.undecided).toContainEqual({ key, rule: expect.any(String), questions: ['children_user_share'] });
        for (const key of CHILD_KEYS) expect(result.applicable).toContain(key);
      });

      it('asks a provider that deploys detection to measure the share, and one that only develops not', () => {
        expect(applicable({ ...DEPLOYER, children_user_share: 'under_5_percent' }).applicable).toEqual(expect.arrayContaining(['SBD-08', 'SBD-09', 'OVS-07']));
        const developer = applicable({ ...DEPLOYER, provider_roles: ['develops'], tool_types: ['classifier'], children_user_share: 'no_service' });
        expect(developer.excluded.map((entry) => entry.key)).toEqual(expect.arrayContaining(['SBD-08', 'SBD-09', 'OVS-07']));
      });
    });
  });

  it('is loaded oldest version first, so that a changelog finds the version it counts from', () => {
    const files = ['csea-detection-tools-1.10.0.yaml', 'b-code-2.0.0.yaml', 'csea-detection-tools-1.9.0.yaml', 'csea-detection-tools-1.0.0.yaml', 'csea-detection-tools-1.1.0.yaml'];
    expect(files.sort(byCodeThenVersion)).toEqual([
      'b-code-2.0.0.yaml',
      'csea-detection-tools-1.0.0.yaml',
      'csea-detection-tools-1.1.0.yaml',
      'csea-detection-tools-1.9.0.yaml',
      'csea-detection-tools-1.10.0.yaml',
    ]);
  });
});
