import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { essence, INSPECTABLE_DOCUMENT_TYPES } from '../codes/document/evidence-file-types';
import type { AppliedEvidencePolicy } from '../codes/document/evidence-policy';
import { DomainException } from '../common/errors/domain.exception';
import { AppConfig } from '../config/app-config.service';
import type { EvidenceRevision } from './entities/evidence-revision.entity';
import type { Evidence } from './entities/evidence.entity';
import { EvidenceLibrary } from './evidence-library';
import { EvidenceErrorCode, EvidenceException } from './evidence.exception';
import { memberTypesOf } from './inspection/content-facts';
import { inspectFile } from './inspection/inspect-file';
import { guidanceOf, underWhich } from './policy/policy-words';
import { refusalOf, StoredFacts } from './policy/revision-acceptance';
import { EvidenceObjectMissing } from './storage/evidence-object-missing.error';
import { EvidenceStorage } from './storage/evidence-storage';

/**
 * Whether evidence of the library may back an answer held to an evidence policy, judged by its current
 * revision and what was found inside it when it was stored. A file stored before files were opened is
 * opened once now, from storage into a staging file, when the policy needs to know what it holds.
 */
@Injectable()
export class EvidenceAcceptance {
  constructor(
    private readonly library: EvidenceLibrary,
    private readonly storage: EvidenceStorage,
    private readonly config: AppConfig,
  ) {}

  /** Why each of these pieces of evidence (by id) cannot back an answer held to `policy`; evidence it accepts, and ids of others, are absent. */
  async refusedUnder(policy: AppliedEvidencePolicy, ids: readonly string[]): Promise<Map<string, string>> {
    const refused = new Map<string, string>();
    for (const [id, { evidence, current }] of await this.library.items(ids)) {
      const facts = unknownInside(evidence, current, policy) ? await this.openedFacts(evidence.organizationId, current) : current;
      const reason = refusalOf(evidence.kind, facts, policy);
      if (reason) refused.set(id, `${evidence.title} cannot back this answer${underWhich(policy)}: ${reason}.`);
    }
    return refused;
  }

  /** Refuses (422) evidence that `policy` does not accept, naming each by its place in `field`. */
  async requireAcceptedUnder(policy: AppliedEvidencePolicy, ids: readonly string[], field: string): Promise<void> {
    const refused = await this.refusedUnder(policy, ids);
    if (refused.size === 0) return;
    const details = Object.fromEntries(ids.flatMap((id, index) => (refused.has(id) ? [[`${field}[${index}]`, [refused.get(id)!]]] : [])));
    throw new EvidenceException(EvidenceErrorCode.RefusedForAnswer, `${[...new Set(refused.values())].join(' ')}${guidanceOf(policy)}`, details);
  }

  /** What a stored file holds, found by opening it now; unknown (null) when it cannot be opened. */
  private async openedFacts(organizationId: string, revision: EvidenceRevision): Promise<StoredFacts> {
    const directory = join(this.config.dataDir, 'uploads');
    const path = join(directory, randomUUID());
    try {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      await pipeline(await this.storage.open(organizationId, revision.sha256), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      const facts = await inspectFile(path, revision.contentType);
      return { contentType: revision.contentType, embedsImages: facts.unreadable ? null : facts.embedsImages, memberTypes: memberTypesOf(facts) };
    } catch (error) {
      // Too large to open, or gone from storage: what it holds stays unknown, and the policy refuses it.
      if (error instanceof DomainException || error instanceof EvidenceObjectMissing) return revision;
      throw error;
    } finally {
      await rm(path, { force: true });
    }
  }
}

/** A file stored before files were opened, whose insides the policy needs to know. */
function unknownInside(evidence: Evidence, revision: EvidenceRevision, policy: AppliedEvidencePolicy): boolean {
  if (evidence.kind !== 'file') return false;
  const type = essence(revision.contentType);
  if (type === 'application/zip') return revision.memberTypes === null && policy.mediaTypes.includes(type);
  return INSPECTABLE_DOCUMENT_TYPES.has(type) && revision.embedsImages === null && policy.embeddedImages === 'refuse' && policy.mediaTypes.includes(type);
}
