import { canonicalJson } from '../../common/canonical-json';
import type { EvidencePolicy } from './evidence-policy';

export const POLICY_FIELDS = ['kinds', 'fileTypes', 'embeddedImages', 'confirmation', 'refusalGuidance'] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];
type PolicyValue = EvidencePolicy[PolicyField] | null;

export interface PolicyChange {
  field: PolicyField;
  from: PolicyValue;
  to: PolicyValue;
}

/** How the evidence policy a version declares changed; null when it did not. A version that declares none has `null`. */
export interface EvidencePolicyDiff {
  from: EvidencePolicy | null;
  to: EvidencePolicy | null;
  changes: PolicyChange[];
}

export function diffEvidencePolicies(from: EvidencePolicy | undefined, to: EvidencePolicy | undefined): EvidencePolicyDiff | null {
  const changes = POLICY_FIELDS.filter((field) => canonicalJson(from?.[field] ?? null) !== canonicalJson(to?.[field] ?? null)).map((field) => ({
    field,
    from: from?.[field] ?? null,
    to: to?.[field] ?? null,
  }));
  if (changes.length === 0 && (from === undefined) === (to === undefined)) return null;
  return { from: from ?? null, to: to ?? null, changes };
}
