import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { Notifications } from '../notifications/notifications';
import { algorithmOf } from './hash-list-text';
import type { HashMatch } from './hash-lists';
import { ScreeningErrorCode, ScreeningException } from './screening.exception';

export interface IncidentRow {
  id: string;
  organizationName: string;
  organizationSlug: string;
  uploader: string | null;
  uploaderEmail: string | null;
  tokenId: string | null;
  occurredAt: Date;
  listName: string;
  algorithm: 'sha256' | 'md5';
  digest: string;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  version: number;
}

/** How many incidents the operator's page and API list, newest first. */
export const INCIDENT_LIST_SIZE = 200;

/**
 * Uploads that matched a hash list. Recording one pauses the organization's uploads and tells the
 * platform operators by e-mail, in one transaction; nothing about the file is kept but the digest that
 * matched and the list that named it. Only the operator reads incidents, and resolving the last open
 * one of an organization lets its uploads go on.
 */
@Injectable()
export class UploadIncidents {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly notifications: Notifications,
  ) {}

  /** When the organization's uploads were paused, if they are. */
  async pausedSince(organizationId: string): Promise<Date | null> {
    const [row] = (await this.tx.manager.query(`SELECT uploads_paused_since($1) AS since`, [organizationId])) as Array<{ since: Date | null }>;
    return row.since;
  }

  /** Records a match of the request's organization and caller, and tells the operators. */
  async report(match: HashMatch): Promise<void> {
    const organization = this.context.organization;
    const caller = this.context.caller;
    // No RETURNING: the organization may record its incident but never read it back.
    await this.tx.manager.query(
      `INSERT INTO upload_incidents (organization_id, user_id, token_id, list_name, algorithm, digest) VALUES ($1, $2, $3, $4, $5, $6)`,
      [organization.id, caller?.userId ?? null, caller?.tokenId ?? null, match.listName, algorithmOf(match.digest), match.digest],
    );
    const operators = (await this.tx.manager.query(`SELECT email FROM users WHERE is_operator ORDER BY created_at LIMIT 10`)) as Array<{ email: string }>;
    if (operators.length === 0) return;
    const at = new Date().toISOString();
    await this.notifications.enqueue({
      event: 'upload_incident',
      organizationId: organization.id,
      to: { emails: operators.map((operator) => operator.email) },
      subject: `Upload matched the hash list ${match.listName}: uploads of ${organization.name} are paused`,
      text:
        `An evidence upload by ${organization.name} (${organization.slug}) matched the hash list ${match.listName} at ${at} ` +
        `(${algorithmOf(match.digest).toUpperCase()} ${match.digest}). The file was deleted before it was stored, and the organization's uploads are paused ` +
        'until you resolve the incident. Nothing else about the file was kept.',
      link: '/operator/screening',
      key: `upload_incident:${match.digest}:${at}`,
    });
  }

  async list(state?: 'open' | 'resolved'): Promise<IncidentRow[]> {
    return this.tx.manager.query(
      `${INCIDENTS} WHERE $1::text IS NULL OR (i.resolved_at IS NULL) = ($1 = 'open') ORDER BY i.occurred_at DESC, i.id LIMIT $2`,
      [state ?? null, INCIDENT_LIST_SIZE],
    );
  }

  /** Closes an incident with the operator's note; the organization's uploads go on once none is open. */
  async resolve(id: string, note: string, version: number): Promise<IncidentRow> {
    const [updated] = (await this.tx.manager.query(
      `UPDATE upload_incidents SET resolved_at = now(), resolved_by = $2, resolution_note = $3, version = version + 1
        WHERE id = $1 AND version = $4 AND resolved_at IS NULL RETURNING organization_id`,
      [id, this.context.userId ?? null, note, version],
    )) as [Array<{ organization_id: string }>, number];
    const current = await this.find(id);
    if (updated.length === 0) {
      if (current.resolvedAt) {
        throw new ScreeningException(ScreeningErrorCode.IncidentResolved, `This incident was resolved by ${current.resolvedBy ?? 'someone'} at ${current.resolvedAt.toISOString()}: ${current.resolutionNote}`);
      }
      throw new ScreeningException(ScreeningErrorCode.StaleVersion, `This incident changed since you read it (it is now at version ${current.version}); reload it.`, { currentVersion: current.version });
    }
    const stillPaused = await this.pausedSince(updated[0].organization_id);
    await this.audit.record({
      organizationId: null,
      action: 'upload_incident.resolved',
      targetType: 'upload_incident',
      targetId: id,
      data: { organization: current.organizationSlug, note, uploadsPaused: stillPaused !== null },
    });
    return current;
  }

  async find(id: string): Promise<IncidentRow> {
    const [row] = (await this.tx.manager.query(`${INCIDENTS} WHERE i.id = $1`, [id])) as IncidentRow[];
    if (!row) throw new ScreeningException(ScreeningErrorCode.IncidentNotFound, 'There is no such upload incident.');
    return row;
  }
}

const INCIDENTS = `
  SELECT i.id, o.name AS "organizationName", o.slug AS "organizationSlug", u.name AS uploader, u.email AS "uploaderEmail", i.token_id AS "tokenId",
         i.occurred_at AS "occurredAt", i.list_name AS "listName", i.algorithm, i.digest, i.resolved_at AS "resolvedAt",
         r.name AS "resolvedBy", i.resolution_note AS "resolutionNote", i.version
    FROM upload_incidents i
    JOIN organizations o ON o.id = i.organization_id
    LEFT JOIN users u ON u.id = i.user_id
    LEFT JOIN users r ON r.id = i.resolved_by`;
