/**
 * A stored object that a record points to is gone: the storage lost it or someone removed it behind
 * the application's back. Not the caller's fault, so it is no HTTP 4xx.
 */
export class EvidenceObjectMissing extends Error {
  constructor(
    readonly organizationId: string,
    readonly sha256: string,
  ) {
    super(`The evidence file ${sha256} of organization ${organizationId} is missing from storage.`);
    this.name = 'EvidenceObjectMissing';
  }
}
