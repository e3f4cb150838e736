import type { SubmittedAnswer } from '../assessments/entities/assessment-submission.entity';
import type { Verdict } from './entities/finding.entity';
import { diffAnswer } from './submission-diff';

/**
 * The verdict that stands for each requirement of the latest round: its finding in that round, or
 * else the latest earlier finding on an answer the provider has not changed since.
 */
export function effectiveVerdicts(
  rounds: ReadonlyArray<{ round: number; answers: readonly SubmittedAnswer[] }>,
  findings: ReadonlyArray<{ round: number; requirementKey: string; verdict: Verdict }>,
): Map<string, Verdict> {
  const ordered = [...rounds].sort((a, b) => b.round - a.round);
  const latest = ordered[0];
  const verdicts = new Map<string, Verdict>();
  if (!latest) return verdicts;
  const byRound = new Map(ordered.map(({ round, answers }) => [round, new Map(answers.map((answer) => [answer.requirementKey, answer]))]));
  const verdictAt = new Map(findings.map((finding) => [`${finding.round}:${finding.requirementKey}`, finding.verdict]));
  for (const answer of latest.answers) {
    for (const { round } of ordered) {
      const verdict = verdictAt.get(`${round}:${answer.requirementKey}`);
      if (verdict) {
        verdicts.set(answer.requirementKey, verdict);
        break;
      }
      const earlier = byRound.get(round - 1)?.get(answer.requirementKey);
      if (!earlier || diffAnswer(earlier, byRound.get(round)!.get(answer.requirementKey)!).changed) break;
    }
  }
  return verdicts;
}
