import type { AccreditationView } from './accreditations.service';
import type { CodeSummary } from './codes.service';
import type { CodeDocument } from './document/code-document';
import type { CodeVersion } from './entities/code-version.entity';

/** The shapes codes take in the API. */

export function versionListItem(version: CodeVersion) {
  return { version: version.version, status: version.status, publishedAt: version.publishedAt, retiredAt: version.retiredAt, contentHash: version.contentHash };
}

export function codeSummaryJson(summary: CodeSummary) {
  return { slug: summary.code.slug, title: summary.current.title, owner: summary.current.owner, versions: summary.versions.map(versionListItem) };
}

export function codeVersionJson(version: CodeVersion, document: CodeDocument) {
  return {
    slug: document.slug,
    version: version.version,
    status: version.status,
    title: document.title,
    owner: document.owner,
    effectiveDate: document.effectiveDate,
    summary: document.summary,
    contentHash: version.contentHash,
    publishedAt: version.publishedAt,
    retiredAt: version.retiredAt,
    levels: document.levels,
    profileQuestions: document.profileQuestions,
    sections: document.sections,
    changelog: document.changelog ?? null,
    evidencePolicy: document.evidencePolicy ?? null,
  };
}

export function importedJson(version: CodeVersion, document: CodeDocument) {
  return {
    slug: document.slug,
    version: version.version,
    status: version.status,
    contentHash: version.contentHash,
    sections: document.sections.length,
    requirements: document.sections.reduce((count, section) => count + section.requirements.length, 0),
  };
}

export function accreditationJson({ accreditation, organization, state }: AccreditationView) {
  return {
    id: accreditation.id,
    organization: { slug: organization.slug, name: organization.name, country: organization.country, website: organization.website },
    validFrom: accreditation.validFrom,
    validUntil: accreditation.validUntil,
    state,
    endedAt: accreditation.endedAt,
    endReason: accreditation.endReason,
  };
}

export function monitoringBodyJson({ accreditation, organization }: AccreditationView) {
  return {
    slug: organization.slug,
    name: organization.name,
    country: organization.country,
    website: organization.website,
    accreditedFrom: accreditation.validFrom,
    accreditedUntil: accreditation.validUntil,
  };
}
