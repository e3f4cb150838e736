import { Injectable } from '@nestjs/common';
import type { AppliedEvidencePolicy } from '../codes/document/evidence-policy';
import { EvidenceLibrary } from './evidence-library';
import { EvidenceErrorCode, EvidenceException } from './evidence.exception';
import { guidanceOf, underWhich } from './policy/policy-words';
import { refusalOf } from './policy/revision-acceptance';

/** Whether evidence of the library may back an answer held to an evidence policy, judged by its current revision. */
@Injectable()
export class EvidenceAcceptance {
  constructor(private readonly library: EvidenceLibrary) {}

  /** Why each of these pieces of evidence (by id) cannot back an answer held to `policy`; evidence it accepts, and ids of others, are absent. */
  async refusedUnder(policy: AppliedEvidencePolicy, ids: readonly string[]): Promise<Map<string, string>> {
    const refused = new Map<string, string>();
    for (const [id, { evidence, current }] of await this.library.items(ids)) {
      const reason = refusalOf(evidence.kind, current, policy);
      if (reason) refused.set(id, `${evidence.title} cannot back this answer${underWhich(policy)}: ${reason}.`);
    }
    return refused;
  }

  /** Refuses (422) evidence that `policy` does not accept, naming each by its place in `field`. */
  async requireAcceptedUnder(policy: AppliedEvidencePolicy, ids: readonly string[], field: string): Promise<void> {
    const refused = await this.refusedUnder(policy, ids);
    if (refused.size === 0) return;
    const details = Object.fromEntries(ids.flatMap((id, index) => (refused.has(id) ? [[`${field}[${index}]`, [refused.get(id)!]]] : [])));
    throw new EvidenceException(EvidenceErrorCode.RefusedForAnswer, `${[...new Set(refused.values())].join(' ')}${guidanceOf(policy)}`, details);
  }
}
