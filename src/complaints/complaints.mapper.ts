import type { PublicEvent } from '../register/public-entry';
import { categoryLabel } from './complaint-categories';
import type { FiledComplaint } from './complaint-filing';
import type { FollowedComplaint } from './complaint-following';
import type { ComplaintDetail, ListedComplaint } from './complaint-handling';

/** What the person filing gets, once: the secret is never shown again. */
export function filedJson(filed: FiledComplaint, followUrl: string) {
  return { reference: filed.reference, secret: filed.secret, status: filed.status, followUrl };
}

export function followedJson(followed: FollowedComplaint) {
  return {
    reference: followed.reference,
    entryId: followed.entryId,
    category: followed.category,
    status: followed.status,
    text: followed.text,
    publicOutcome: followed.publicOutcome,
    receivedAt: followed.receivedAt.toISOString(),
    updatedAt: followed.updatedAt.toISOString(),
    closedAt: followed.closedAt?.toISOString() ?? null,
  };
}

/** A complaint in its monitoring body's list: who and what it is about, where it stands. */
export function listedJson({ complaint, entry }: ListedComplaint) {
  return {
    id: complaint.id,
    reference: complaint.reference,
    entry,
    category: complaint.category,
    categoryLabel: categoryLabel(complaint.category),
    status: complaint.status,
    version: complaint.version,
    receivedAt: complaint.receivedAt.toISOString(),
    updatedAt: complaint.updatedAt.toISOString(),
    closedAt: complaint.closedAt?.toISOString() ?? null,
  };
}

/** The whole complaint, for its monitoring body: the text and the complainant's address included. */
export function detailJson(detail: ComplaintDetail) {
  return {
    ...listedJson(detail),
    text: detail.complaint.text,
    email: detail.complaint.email,
    publicOutcome: detail.complaint.publicOutcome,
    registerEvent: detail.registerEvent ? eventJson(detail.registerEvent) : null,
    allowed: detail.allowed,
    actionable: detail.actionable,
  };
}

function eventJson(event: PublicEvent) {
  return { id: event.id, kind: event.kind, status: event.status, verificationId: event.verificationId, reason: event.reason, occurredAt: event.occurredAt };
}
