import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { rm } from 'node:fs/promises';
import type { AppliedEvidencePolicy, EvidenceKindName } from '../codes/document/evidence-policy';
import { EvidencePolicies } from '../codes/evidence-policies';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost, type RowScope } from '../database/transaction-host';
import { HashLists } from '../screening/hash-lists';
import { UploadIncidents } from '../screening/upload-incidents';
import type { CreateEvidenceDto } from './dto/create-evidence.dto';
import type { NewRevisionDto } from './dto/new-revision.dto';
import { EvidenceDetail, EvidenceLibrary } from './evidence-library';
import type { CheckedUpload } from './revision-content';
import { EvidenceErrorCode, EvidenceException } from './evidence.exception';
import { inspectFile } from './inspection/inspect-file';
import { refuseContents } from './inspection/judge-contents';
import { acceptedInWords, guidanceOf, underWhich } from './policy/policy-words';
import { UploadReceiver } from './upload/upload-receiver';

const PAUSED_NOTICE = "Your organization's uploads are paused; the platform operator will contact you.";
/** Says nothing of why: neither the hash lists nor the file that matched are named. */
export const PAUSED_MESSAGE = `This file cannot be accepted. ${PAUSED_NOTICE}`;

/**
 * The way into the evidence library. Before a byte of a file is kept, the organization's uploads must
 * not be paused and the file must pass the evidence policy that applies to the organization: its type
 * as it streams in; once it is staged, its digests against the hash lists, what is inside it, and the
 * uploader's confirmation where the policy asks for one. A file that fails any of these is deleted
 * before the answer goes out. Links and texts must be kinds the policy accepts.
 */
@Injectable()
export class EvidenceIntake {
  constructor(
    private readonly library: EvidenceLibrary,
    private readonly receiver: UploadReceiver,
    private readonly policies: EvidencePolicies,
    private readonly hashLists: HashLists,
    private readonly incidents: UploadIncidents,
    private readonly context: TenantContext,
    private readonly tx: TransactionHost,
  ) {}

  async addFile(request: Request): Promise<EvidenceDetail> {
    return this.library.addFile(await this.receive(request));
  }

  async addFileRevision(id: string, request: Request): Promise<EvidenceDetail> {
    return this.library.addFileRevision(id, await this.receive(request));
  }

  async addRecord(input: CreateEvidenceDto): Promise<EvidenceDetail> {
    return this.tx.runScoped(this.scope, async () => {
      requireKind(await this.uploadPolicy(), input.kind);
      return this.library.addRecord(input);
    });
  }

  async addRecordRevision(id: string, input: NewRevisionDto): Promise<EvidenceDetail> {
    return this.tx.runScoped(this.scope, async () => {
      const policy = await this.uploadPolicy();
      const { evidence } = await this.library.get(id);
      if (evidence.kind !== 'file') requireKind(policy, evidence.kind);
      return this.library.addRecordRevision(id, input);
    });
  }

  /** What the upload forms tell: what is accepted, what must be confirmed, and whether uploads are paused. */
  async uploadTerms(): Promise<{ accepted: string; refusesPictures: boolean; confirmations: string[]; paused: string | null }> {
    const policy = await this.policies.forUploads();
    const paused = await this.incidents.pausedSince(this.context.organizationId);
    return {
      accepted: acceptedInWords(policy),
      refusesPictures: policy.embeddedImages === 'refuse',
      confirmations: policy.confirmations,
      paused: paused ? PAUSED_NOTICE : null,
    };
  }

  /** The policy for uploads, refusing at once when the organization's uploads are paused. */
  async uploadPolicy(): Promise<AppliedEvidencePolicy> {
    if (await this.incidents.pausedSince(this.context.organizationId)) throw paused();
    return this.policies.forUploads();
  }

  /** The routes that stream a file run outside the request transaction: each step opens its own, for the caller's organization. */
  private get scope(): RowScope {
    return { organizationId: this.context.organizationId, userId: this.context.userId };
  }

  private async receive(request: Request): Promise<CheckedUpload> {
    const policy = await this.tx.runScoped(this.scope, () => this.uploadPolicy());
    requireKind(policy, 'file');
    const upload = await this.receiver.receive(request, policy);
    const { path, contentType } = upload.file;
    try {
      await this.screen([upload.file], path);
      const facts = await inspectFile(path, contentType);
      await this.screen(facts.digests, path);
      refuseContents(facts, contentType, policy);
      const { confirmation, ...fields } = upload.fields;
      const query = request.query.confirmation;
      const confirmed = confirmation ?? (typeof query === 'string' ? query : undefined);
      const unconfirmed =
        policy.confirmations.length > 0 && confirmed !== 'true' ? `confirm with each file${underWhich(policy)}: ${policy.confirmations.join(' ')} (send confirmation=true)` : null;
      return { ...upload, fields, facts, confirmations: policy.confirmations, unconfirmed };
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /**
   * Checks digests against the hash lists. On a match the staged bytes are deleted first, then the
   * incident is recorded (pausing the organization's uploads and telling the operators), and the
   * uploader hears only that uploads are paused.
   */
  private async screen(digests: ReadonlyArray<{ sha256: string; md5: string }>, path: string): Promise<void> {
    if (digests.length === 0) return;
    const [match] = await this.tx.runScoped(this.scope, () => this.hashLists.matches(digests.flatMap((digest) => [digest.sha256, digest.md5])));
    if (!match) return;
    await rm(path, { force: true });
    await this.tx.runScoped(this.scope, () => this.incidents.report(match));
    throw paused();
  }
}

function requireKind(policy: AppliedEvidencePolicy, kind: EvidenceKindName): void {
  if (policy.kinds.includes(kind)) return;
  const accepted = policy.kinds.map((accepted) => `${accepted}s`).join(', ') || 'no evidence';
  throw new EvidenceException(
    EvidenceErrorCode.RefusedType,
    `A ${kind} is not accepted as evidence${underWhich(policy)}; it accepts ${accepted}${policy.kinds.includes('file') ? ` (${acceptedInWords(policy)})` : ''}.${guidanceOf(policy)}`,
  );
}

function paused(): EvidenceException {
  return new EvidenceException(EvidenceErrorCode.UploadsPaused, PAUSED_MESSAGE);
}
