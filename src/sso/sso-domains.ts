import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { TransactionHost } from '../database/transaction-host';
import { isPublicMailDomain } from './public-mail-domains';
import { SsoErrorCode, SsoException } from './sso.exception';

export type DomainStatus = 'pending' | 'confirmed' | 'rejected';

export interface DomainClaim {
  domain: string;
  status: DomainStatus;
  claimedAt: Date;
  decidedAt: Date | null;
  organization: { id: string; slug: string; name: string };
}

const CLAIM_COLUMNS = `d.domain, d.status, d.claimed_at AS "claimedAt", d.decided_at AS "decidedAt",
  json_build_object('id', o.id, 'slug', o.slug, 'name', o.name) AS organization`;

/**
 * The e-mail domains organizations claim for single sign-on. A domain has at most one live claim
 * (pending or confirmed): a second organization's claim is a 409 until the operator rejects the first.
 * A claim counts for sign-in only once the operator has confirmed it.
 */
@Injectable()
export class SsoDomains {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  forOrganization(organizationId: string): Promise<DomainClaim[]> {
    return this.tx.manager.query(
      `SELECT ${CLAIM_COLUMNS} FROM sso_domains d JOIN organizations o ON o.id = d.organization_id WHERE d.organization_id = $1 ORDER BY d.domain`,
      [organizationId],
    );
  }

  /** Every claim, the pending ones first (oldest first), for the operator. */
  all(status?: DomainStatus): Promise<DomainClaim[]> {
    return this.tx.manager.query(
      `SELECT ${CLAIM_COLUMNS} FROM sso_domains d JOIN organizations o ON o.id = d.organization_id
        WHERE $1::text IS NULL OR d.status = $1 ORDER BY d.status <> 'pending', d.claimed_at, d.domain LIMIT 500`,
      [status ?? null],
    );
  }

  /** Makes the organization's claims exactly `domains`: new ones become pending, the others are released. */
  async claimExactly(organizationId: string, domains: string[], userId: string | undefined): Promise<void> {
    const wanted = [...new Set(domains)];
    const publicOnes = wanted.filter(isPublicMailDomain);
    if (publicOnes.length > 0) {
      const message = `${publicOnes.join(', ')} ${publicOnes.length === 1 ? 'is a public mail service' : 'are public mail services'}: anyone can get an address there, so no organization can claim it.`;
      throw new SsoException(SsoErrorCode.PublicMailDomain, message, { domains: [message] });
    }
    const released = (await this.tx.manager.query(`DELETE FROM sso_domains WHERE organization_id = $1 AND NOT (domain = ANY($2)) RETURNING domain`, [organizationId, wanted])) as [
      Array<{ domain: string }>,
      number,
    ];
    for (const { domain } of released[0]) await this.audit.record({ action: 'sso.domain_released', targetType: 'sso_domain', targetId: domain });
    const taken: string[] = [];
    for (const domain of wanted) {
      // A rejected claim, of this or another organization, gives way to a new one; a live claim never does.
      const [claimed] = (await this.tx.manager.query(
        `INSERT INTO sso_domains (domain, organization_id, claimed_by) VALUES ($1, $2, $3)
         ON CONFLICT (domain) DO UPDATE SET organization_id = EXCLUDED.organization_id, status = 'pending', claimed_at = now(),
           claimed_by = EXCLUDED.claimed_by, decided_at = NULL, decided_by = NULL
           WHERE sso_domains.status = 'rejected'
         RETURNING domain`,
        [domain, organizationId, userId ?? null],
      )) as Array<{ domain: string }>;
      if (claimed) {
        await this.audit.record({ action: 'sso.domain_claimed', targetType: 'sso_domain', targetId: domain });
        continue;
      }
      const [holder] = (await this.tx.manager.query(`SELECT organization_id FROM sso_domains WHERE domain = $1`, [domain])) as Array<{ organization_id: string }>;
      if (holder?.organization_id !== organizationId) taken.push(domain);
    }
    if (taken.length > 0) {
      const message = `${taken.join(', ')} ${taken.length === 1 ? 'is' : 'are'} claimed by another organization; a domain belongs to one organization only. Ask the operator if it is yours.`;
      throw new SsoException(SsoErrorCode.DomainTaken, message, { domains: [message] });
    }
  }

  async releaseAll(organizationId: string): Promise<void> {
    await this.claimExactly(organizationId, [], undefined);
  }

  /** The operator's decision on a pending claim, recorded in the platform's audit chain. */
  async decide(domain: string, status: 'confirmed' | 'rejected', operatorId: string | undefined): Promise<DomainClaim> {
    const normal = domain.trim().toLowerCase();
    const [decided] = (await this.tx.manager.query(
      `UPDATE sso_domains SET status = $2, decided_at = now(), decided_by = $3 WHERE domain = $1 AND status = 'pending' RETURNING organization_id`,
      [normal, status, operatorId ?? null],
    )) as [Array<{ organization_id: string }>, number];
    const [claim] = (await this.tx.manager.query(`SELECT ${CLAIM_COLUMNS} FROM sso_domains d JOIN organizations o ON o.id = d.organization_id WHERE d.domain = $1`, [
      normal,
    ])) as DomainClaim[];
    if (!claim) throw new SsoException(SsoErrorCode.DomainNotFound, `No organization claims the domain ${normal}.`);
    if (decided.length === 0) throw new SsoException(SsoErrorCode.DomainDecided, `The claim of ${claim.organization.name} on ${normal} was already ${claim.status}; only a pending claim can be decided.`);
    await this.audit.record({
      organizationId: null,
      action: status === 'confirmed' ? 'sso.domain_confirmed' : 'sso.domain_rejected',
      targetType: 'sso_domain',
      targetId: normal,
      data: { organizationId: claim.organization.id },
    });
    return claim;
  }
}
