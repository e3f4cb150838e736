import { ALL_MEDIA_TYPES, FILE_TYPE_GROUPS, mediaTypesOf } from './evidence-file-types';

export const EVIDENCE_KIND_NAMES = ['file', 'link', 'text'] as const;
export type EvidenceKindName = (typeof EVIDENCE_KIND_NAMES)[number];

export const EMBEDDED_IMAGE_RULES = ['allow', 'refuse'] as const;
export type EmbeddedImageRule = (typeof EMBEDDED_IMAGE_RULES)[number];

/** A code version's `evidence_policy`, as its author wrote it (group names kept, not expanded). */
export interface EvidencePolicy {
  kinds: EvidenceKindName[];
  /** Group names (`documents`) and media types (`application/pdf`); empty when files are not accepted. */
  fileTypes: string[];
  /** Raster pictures inside PDFs and office documents. */
  embeddedImages: EmbeddedImageRule;
  /** What the uploader confirms with each file; null when nothing is asked. */
  confirmation: string | null;
  /** Said with every refusal under this policy: why, and what to send instead. */
  refusalGuidance: string | null;
}

/** Where a policy comes from, to name it in messages. */
export interface PolicySource {
  code: string;
  title: string;
  version: string;
}

/**
 * The rules one upload or link is held to: a single code's policy, or the strictest combination of
 * several (what all of them accept, everything any of them asks or says).
 */
export interface AppliedEvidencePolicy {
  kinds: EvidenceKindName[];
  /** Media types without parameters, in the order of the vocabulary. */
  mediaTypes: string[];
  embeddedImages: EmbeddedImageRule;
  confirmations: string[];
  guidance: string[];
  /** The codes whose own policies this combines; empty for the platform's default. */
  sources: PolicySource[];
}

/** What evidence is held to when no published code declares a policy: every type Adhere takes. */
export const DEFAULT_EVIDENCE_POLICY: AppliedEvidencePolicy = {
  kinds: [...EVIDENCE_KIND_NAMES],
  mediaTypes: [...ALL_MEDIA_TYPES],
  embeddedImages: 'allow',
  confirmations: [],
  guidance: [],
  sources: [],
};

/** A code's policy as the rules it applies. Files whose pictures cannot be checked are never taken where pictures are refused. */
export function appliedPolicy(policy: EvidencePolicy, source: PolicySource): AppliedEvidencePolicy {
  const accepted = new Set(policy.kinds.includes('file') ? mediaTypesOf(policy.fileTypes) : []);
  const refusesImages = policy.embeddedImages === 'refuse';
  return {
    kinds: EVIDENCE_KIND_NAMES.filter((kind) => policy.kinds.includes(kind)),
    mediaTypes: ALL_MEDIA_TYPES.filter((type) => accepted.has(type) && !(refusesImages && uninspectable(type))),
    embeddedImages: policy.embeddedImages,
    confirmations: policy.confirmation ? [policy.confirmation] : [],
    guidance: policy.refusalGuidance ? [policy.refusalGuidance] : [],
    sources: [source],
  };
}

/** The strictest combination: accepted only what every policy accepts; asked and said what any asks or says. */
export function strictestPolicy(policies: readonly AppliedEvidencePolicy[]): AppliedEvidencePolicy {
  if (policies.length === 0) return DEFAULT_EVIDENCE_POLICY;
  const unique = <T>(values: T[]) => [...new Set(values)];
  return {
    kinds: EVIDENCE_KIND_NAMES.filter((kind) => policies.every((policy) => policy.kinds.includes(kind))),
    mediaTypes: ALL_MEDIA_TYPES.filter((type) => policies.every((policy) => policy.mediaTypes.includes(type))),
    embeddedImages: policies.some((policy) => policy.embeddedImages === 'refuse') ? 'refuse' : 'allow',
    confirmations: unique(policies.flatMap((policy) => policy.confirmations)),
    guidance: unique(policies.flatMap((policy) => policy.guidance)),
    sources: policies.flatMap((policy) => policy.sources).filter((source, index, all) => all.findIndex((other) => other.code === source.code && other.version === source.version) === index),
  };
}

/** Old Office files are containers Adhere cannot open to look for pictures. */
function uninspectable(mediaType: string): boolean {
  return (FILE_TYPE_GROUPS.legacy_office.types as readonly string[]).includes(mediaType);
}
