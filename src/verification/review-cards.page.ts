import type { SubmittedEvidence } from '../assessments/entities/assessment-submission.entity';
import type { Assessment } from '../assessments/entities/assessment.entity';
import { CLAIM_LABELS, requirementCard } from '../assessments/answer-cards.page';
import type { Claim } from '../assessments/entities/answer.entity';
import type { Decision } from './entities/decision.entity';
import { VERDICTS, type Verdict } from './entities/finding.entity';
import type { NotedFinding, ReviewedRequirement } from './review-workspace';

export const VERDICT_LABELS: Record<Verdict, string> = {
  accepted: 'Accepted',
  changes_requested: 'Changes requested',
  rejected: 'Rejected',
};

export const VERDICT_OPTIONS = VERDICTS.map((value) => ({ value, label: VERDICT_LABELS[value] }));

/** Where findings can be recorded and decisions proposed: before the first act a resubmitted round is still "submitted". */
export const REVIEWING_STATES: readonly Assessment['state'][] = ['submitted', 'in_review'];

/** Where an admin may still change who reviews. */
export const ASSIGNABLE_STATES: readonly Assessment['state'][] = ['submitted', 'in_review', 'changes_requested'];

/** What one form of the review page shows: the posted values after a refused post, else what is stored. */
export interface FormState<T> {
  action: string;
  failed: boolean;
  values: T;
}

export type Names = ReadonlyMap<string, string>;

export function personName(names: Names, id: string | null | undefined): string {
  if (!id) return 'an API token';
  return names.get(id) ?? 'a former member';
}

function claimLabel(claim: Claim | null | undefined): string {
  return claim ? CLAIM_LABELS[claim] : 'No claim';
}

export function findingView(finding: NotedFinding | null, names: Names) {
  if (!finding) return null;
  return {
    round: finding.round,
    verdict: finding.verdict,
    verdictLabel: VERDICT_LABELS[finding.verdict],
    comment: finding.comment,
    note: finding.note,
    released: finding.released,
    by: personName(names, finding.updatedBy),
    at: finding.updatedAt,
  };
}

/** How a reader reaches evidence: downloads under `download`, and the addresses of links. Only assigned reviewers get either. */
export interface EvidenceAccess {
  download: string;
  links: ReadonlyMap<string, string>;
}

/** An evidence revision as the reviewer sees it: a download for files and texts, the address for a link. */
function evidenceView(evidence: SubmittedEvidence, access: EvidenceAccess | null) {
  const address = access && evidence.kind === 'link' ? access.links.get(`${evidence.id}:${evidence.revision}`) ?? null : null;
  return {
    title: evidence.title,
    kind: evidence.kind,
    revision: evidence.revision,
    sha256: evidence.sha256,
    href: access && evidence.kind !== 'link' ? `${access.download}/${evidence.id}/revisions/${evidence.revision}/content` : null,
    address,
  };
}

/** What the provider changed since the previous round, in words the card can list. */
function changeView(item: ReviewedRequirement, download: EvidenceAccess | null) {
  const change = item.change;
  if (!change) return null;
  if (!change.changed) return { changed: false };
  const text = (field: 'statement' | 'justification') => (change[field] ? { from: change[field]!.from, to: change[field]!.to } : null);
  return {
    changed: true,
    added: change.added,
    claim: change.claim ? { from: claimLabel(change.claim.from), to: claimLabel(change.claim.to) } : null,
    statement: text('statement'),
    justification: text('justification'),
    evidenceAdded: change.evidence.added.map((evidence) => evidenceView(evidence, download)),
    evidenceRemoved: change.evidence.removed.map((evidence) => evidenceView(evidence, null)),
    evidenceRevised: change.evidence.revised.map(({ from, to }) => ({ title: to.title, from: evidenceView(from, null), to: evidenceView(to, download) })),
  };
}

export interface FindingValues {
  verdict: string;
  comment: string;
  internalNote: string;
  version: number | null;
}

/** One requirement's card: the requirement, the provider's answer, what changed, the findings and (for a reviewer) the form. */
export function cardOf(item: ReviewedRequirement, options: { names: Names; download: EvidenceAccess | null; previousRound: number | null; form: FormState<FindingValues> | null }) {
  const { requirement, answer } = item;
  return {
    key: requirement.key,
    sectionKey: item.sectionKey,
    ...requirementCard(requirement),
    claim: answer.claim,
    claimLabel: claimLabel(answer.claim),
    statement: answer.statement,
    justification: answer.justification,
    evidence: answer.evidence.map((evidence) => evidenceView(evidence, options.download)),
    previousRound: options.previousRound,
    change: changeView(item, options.download),
    previousFinding: findingView(item.previousFinding, options.names),
    finding: findingView(item.finding, options.names),
    // A verdict from an earlier round still stands while the provider has not touched the answer.
    standing: !item.finding && item.verdict ? { verdictLabel: VERDICT_LABELS[item.verdict], verdict: item.verdict } : null,
    form: options.form,
  };
}

/** A decision as the page shows it: as stored, with people by name. */
export function decisionView(decision: Decision, names: Names) {
  return { ...decision, proposedBy: personName(names, decision.proposedBy), reviewedBy: decision.reviewedBy ? personName(names, decision.reviewedBy) : null };
}

/** A posted text field as the form shows it again. */
export function postedText(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  return typeof value === 'string' ? value : '';
}
