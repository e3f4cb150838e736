import type { EvidencePolicy } from './evidence-policy';

/** A code version as Adhere holds it once its YAML has been validated. */
export interface CodeDocument {
  slug: string;
  title: string;
  owner: string;
  version: string;
  effectiveDate: string;
  summary: string;
  levels: Level[];
  profileQuestions: ProfileQuestion[];
  sections: Section[];
  /** What changed since an earlier version and why; absent in a code's first version. */
  changelog?: Changelog;
  /**
   * What evidence the code accepts and what uploaders confirm. Absent (not null) when the version
   * declares none, so the content hash of versions written before policies existed stays the same.
   */
  evidencePolicy?: EvidencePolicy;
}

/** A compliance level and the strength of evidence it needs. */
export interface Level {
  level: number;
  name: string;
  description: string;
}

export type QuestionType = 'boolean' | 'single_choice' | 'multiple_choice';

/** A question about a service whose answer decides which requirements apply to it. */
export interface ProfileQuestion {
  key: string;
  label: string;
  type: QuestionType;
  help: string | null;
  options: QuestionOption[];
}

export interface QuestionOption {
  value: string;
  label: string;
}

export interface Section {
  key: string;
  title: string;
  summary: string | null;
  requirements: Requirement[];
}

export interface Requirement {
  /** Stable across versions, so answers carry forward and versions can be compared. */
  key: string;
  title: string;
  text: string;
  guidance: string | null;
  evidence: string | null;
  /** The lowest compliance level the requirement belongs to. */
  level: number;
  evidenceRequired: boolean;
  /** A CEL expression over the profile; null when the requirement always applies. */
  appliesWhen: string | null;
}

export const CHANGE_KINDS = ['added', 'changed', 'removed', 'moved'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Parts of a version that are not requirements or questions, as a changelog entry names them. */
export const DOCUMENT_PARTS = ['evidence_policy'] as const;
export type DocumentPart = (typeof DOCUMENT_PARTS)[number];

/** The changes from one earlier version, each with its reason and the texts it rests on. */
export interface Changelog {
  /** The earlier version the changes are counted from. */
  from: string;
  changes: ChangelogEntry[];
}

/**
 * One change and why it was made. `moved` is a requirement that changed section; profile questions and
 * document parts can be added, changed or removed, not moved.
 */
export interface ChangelogEntry {
  change: ChangeKind;
  /** Requirement keys. */
  keys: string[];
  /** Profile question keys. */
  questions: string[];
  /**
   * Document parts, such as the evidence policy. Absent when the entry names none, so the content hash
   * of versions written before parts could be named stays the same; read it as `entry.parts ?? []`.
   */
  parts?: DocumentPart[];
  reason: string;
  /** Laws, guidance and reports the change rests on, one citation each. */
  references: string[];
}

/** A service's answers to profile questions, by question key. */
export type Profile = Record<string, ProfileAnswer>;
export type ProfileAnswer = boolean | string | string[];

/** One problem found in a code document, named by where it is (`sections[2].requirements[4].key`). */
export interface DocumentProblem {
  path: string;
  message: string;
}
