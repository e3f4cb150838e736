import type { Verdict } from './entities/finding.entity';

export interface LevelSuggestion {
  /** The highest level, up to the one applied for, whose requirements are all accepted; 0 if none is. */
  level: number;
  /** For the next level up, the requirements not accepted (yet). */
  missing: Array<{ requirementKey: string; level: number; verdict: Verdict | null }>;
}

/**
 * The level a monitoring body can grant: a level is earned when every applicable requirement of that
 * level and below is accepted, and never above the level the provider applied for.
 */
export function suggestLevel(requirements: ReadonlyArray<{ key: string; level: number }>, verdicts: ReadonlyMap<string, Verdict>, targetLevel: number): LevelSuggestion {
  let level = 0;
  while (level < targetLevel) {
    const next = level + 1;
    const missing = requirements
      .filter((requirement) => requirement.level <= next && verdicts.get(requirement.key) !== 'accepted')
      .map((requirement) => ({ requirementKey: requirement.key, level: requirement.level, verdict: verdicts.get(requirement.key) ?? null }));
    if (missing.length > 0) return { level, missing };
    level = next;
  }
  return { level, missing: [] };
}
