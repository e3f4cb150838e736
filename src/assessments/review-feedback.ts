import { Injectable } from '@nestjs/common';
import type { Assessment } from './entities/assessment.entity';

/** A monitoring body's finding on one requirement, as released to the provider. */
export interface ReleasedFinding {
  round: number;
  verdict: 'accepted' | 'changes_requested' | 'rejected';
  comment: string | null;
}

/** What the provider knows of its declaration's verification. */
export interface VerificationStanding {
  /** Released findings by requirement key, newest round first. */
  findings: Map<string, ReleasedFinding[]>;
  decision: {
    outcome: 'verified' | 'rejected';
    level: number | null;
    validUntil: string | null;
    conditions: string | null;
    publicSummary: string;
    verificationId: string | null;
    decidedAt: Date;
  } | null;
  /** The register entry showing this assessment's verification, with its public history. */
  register: {
    id: string;
    verificationId: string;
    status: string;
    level: number;
    validUntil: string;
    history: Array<{ kind: string; reason: string | null; occurredAt: Date }>;
  } | null;
  /** The entry was renewed by a later assessment, which it now shows. */
  renewedBy: string | null;
}

export const NO_STANDING: VerificationStanding = { findings: new Map(), decision: null, register: null, renewedBy: null };

type StandingSource = (assessment: Assessment) => Promise<VerificationStanding>;

/**
 * Where the provider's pages learn what the monitoring body released. The verification module, which
 * depends on this one, supplies it, so assessments never reach into verification's tables.
 */
@Injectable()
export class ReviewFeedback {
  private source?: StandingSource;

  providedBy(source: StandingSource): void {
    this.source = source;
  }

  async of(assessment: Assessment): Promise<VerificationStanding> {
    if (!this.source || !assessment.submittedAt) return NO_STANDING;
    return this.source(assessment);
  }
}
