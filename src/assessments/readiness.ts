import type { EvidenceStatus } from '../evidence/evidence-status';
import { CLAIMS, type Claim } from './entities/answer.entity';

/** What readiness needs to know about one answer. */
export interface AnswerFacts {
  requirementKey: string;
  sectionKey: string;
  claim: Claim | null;
  justification: string | null;
  evidenceRequired: boolean;
  /** The status of each linked piece of evidence's current revision. */
  evidence: EvidenceStatus[];
}

export interface Gap {
  requirementKey: string;
  sectionKey: string;
  problem: string;
}

export interface Progress {
  total: number;
  answered: number;
  /** Whole percent of answers with a claim. */
  percent: number;
  claims: Record<Claim, number>;
  evidence: {
    /** Answers whose requirement asks for evidence and whose claim still needs it. */
    needed: number;
    /** Of those, how many have current evidence. */
    covered: number;
    percent: number;
    /** Answers with linked evidence that has expired. */
    expired: number;
  };
}

/** Claims for which mandatory evidence must be there: a claim of (partial) compliance. */
const CLAIMS_NEEDING_EVIDENCE: readonly Claim[] = ['met', 'partially_met'];

/** Every reason the assessment cannot be submitted yet, in the code's order. */
export function gapsOf(answers: readonly AnswerFacts[]): Gap[] {
  const gaps: Gap[] = [];
  for (const answer of answers) {
    const gap = (problem: string) => gaps.push({ requirementKey: answer.requirementKey, sectionKey: answer.sectionKey, problem });
    if (answer.claim === null) gap('no claim yet: say whether the requirement is met');
    else if (answer.claim === 'not_applicable' && !answer.justification?.trim()) gap('claimed not applicable without a justification');
    else if (answer.evidenceRequired && CLAIMS_NEEDING_EVIDENCE.includes(answer.claim) && !answer.evidence.includes('current')) {
      gap(answer.evidence.length === 0 ? 'evidence is required and none is linked' : 'evidence is required and the linked evidence is not current (expired or not yet effective)');
    }
  }
  return gaps;
}

export function progressOf(answers: readonly AnswerFacts[]): Progress {
  const claims = Object.fromEntries(CLAIMS.map((claim) => [claim, 0])) as Record<Claim, number>;
  let answered = 0;
  let needed = 0;
  let covered = 0;
  let expired = 0;
  for (const answer of answers) {
    if (answer.claim !== null) {
      answered += 1;
      claims[answer.claim] += 1;
    }
    if (answer.evidence.includes('expired')) expired += 1;
    if (answer.evidenceRequired && (answer.claim === null || CLAIMS_NEEDING_EVIDENCE.includes(answer.claim))) {
      needed += 1;
      if (answer.evidence.includes('current')) covered += 1;
    }
  }
  return {
    total: answers.length,
    answered,
    percent: percent(answered, answers.length),
    claims,
    evidence: { needed, covered, percent: percent(covered, needed), expired },
  };
}

/** Rounded down, so 100 % means everything. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.floor((part * 100) / whole);
}
