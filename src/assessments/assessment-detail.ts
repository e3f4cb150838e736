import type { CodeDocument, Requirement, Section } from '../codes/document/code-document';
import type { CodeVersion } from '../codes/entities/code-version.entity';
import type { EvidenceItem } from '../evidence/evidence-library';
import type { ProviderService } from '../provider-services/entities/provider-service.entity';
import type { Organization } from '../tenancy/entities/organization.entity';
import type { Answer } from './entities/answer.entity';
import type { Assessment } from './entities/assessment.entity';
import type { Gap, Progress } from './readiness';

/** One answer with the requirement it answers and the evidence behind it. */
export interface AnswerDetail {
  answer: Answer;
  requirement: Requirement;
  sectionKey: string;
  evidence: EvidenceItem[];
  updatedByName: string | null;
}

export interface SectionDetail {
  section: Omit<Section, 'requirements'>;
  answers: AnswerDetail[];
  progress: Progress;
}

/** Everything the workspace shows, read with a fixed number of queries whatever the code's size. */
export interface AssessmentDetail {
  assessment: Assessment;
  service: ProviderService;
  code: { slug: string; version: CodeVersion };
  document: CodeDocument;
  monitoringBody: Organization;
  answers: AnswerDetail[];
  /** Sections with at least one applicable requirement, in the code's order. */
  sections: SectionDetail[];
  progress: Progress;
  gaps: Gap[];
}
