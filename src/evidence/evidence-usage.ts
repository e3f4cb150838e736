import { Injectable } from '@nestjs/common';

/** An answer that a piece of evidence backs. */
export interface EvidenceUse {
  evidenceId: string;
  assessmentId: string;
  /** What the assessment is, in words: "Chat app — CSEA detection tools 1.0.0". */
  assessment: string;
  assessmentState: string;
  requirementKey: string;
  /** The section of the requirement, to open the workspace where it is. */
  sectionKey: string;
}

export type EvidenceUseSource = (evidenceIds: readonly string[]) => Promise<EvidenceUse[]>;

/**
 * Where evidence is used is known to the assessments that link it, which depend on this module and
 * not the other way round: they tell this registry how to look their uses up.
 */
@Injectable()
export class EvidenceUsage {
  private source: EvidenceUseSource = () => Promise.resolve([]);

  answeredBy(source: EvidenceUseSource): void {
    this.source = source;
  }

  of(evidenceIds: readonly string[]): Promise<EvidenceUse[]> {
    return evidenceIds.length === 0 ? Promise.resolve([]) : this.source(evidenceIds);
  }
}
