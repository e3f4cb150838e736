import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { parseHashList } from './hash-list-text';
import { ScreeningErrorCode, ScreeningException } from './screening.exception';

const INSERT_SLICE = 5_000;

export interface HashListRow {
  id: string;
  name: string;
  source: 'file' | 'url';
  url: string | null;
  entries: number;
  loadedAt: Date;
  loadedBy: string | null;
}

export interface HashMatch {
  listName: string;
  digest: string;
}

/**
 * The hash lists uploads are screened against. A list is loaded whole and replaces the list of the same
 * name in one transaction, so a lookup sees the old list or the new one, never half of one. Digests
 * are never read back: a lookup only learns which list, if any, names a digest.
 */
@Injectable()
export class HashLists {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<HashListRow[]> {
    return this.tx.manager.query(
      `SELECT l.id, l.name, l.source, l.url, l.entries, l.loaded_at AS "loadedAt", u.name AS "loadedBy"
         FROM hash_lists l LEFT JOIN users u ON u.id = l.loaded_by ORDER BY l.name`,
    );
  }

  /** Loads a list from its text, replacing the list of that name; refuses a text with lines that are no digests. */
  async load(name: string, text: string, source: { url?: string } = {}): Promise<HashListRow> {
    const { digests, problems } = parseHashList(text);
    if (problems.length > 0) throw new ScreeningException(ScreeningErrorCode.InvalidList, `The hash list ${name} was not loaded: ${problems.join('; ')}.`, { file: problems });
    if (digests.length === 0) throw new ScreeningException(ScreeningErrorCode.InvalidList, `The hash list ${name} holds no digest; nothing was loaded.`, { file: ['holds no digest'] });
    const manager = this.tx.manager;
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('hash-list:' || $1, 0))`, [name]);
    const contentSha256 = createHash('sha256').update(text).digest('hex');
    const [same] = (await manager.query(`SELECT id FROM hash_lists WHERE name = $1 AND content_sha256 = $2 AND url IS NOT DISTINCT FROM $3`, [name, contentSha256, source.url ?? null])) as Array<{ id: string }>;
    // A refresh that fetched the same text again changes nothing.
    if (same) return (await this.list()).find((list) => list.id === same.id)!;
    const [row] = (await manager.query(
      `INSERT INTO hash_lists (name, source, url, entries, content_sha256, loaded_at, loaded_by) VALUES ($1, $2, $3, $4, $5, now(), $6)
       ON CONFLICT (name) DO UPDATE SET source = excluded.source, url = excluded.url, entries = excluded.entries, content_sha256 = excluded.content_sha256,
                                        loaded_at = now(), loaded_by = excluded.loaded_by
       RETURNING id`,
      [name, source.url ? 'url' : 'file', source.url ?? null, digests.length, contentSha256, this.context.userId ?? null],
    )) as Array<{ id: string }>;
    await manager.query(`DELETE FROM hash_list_entries WHERE list_id = $1`, [row.id]);
    for (let start = 0; start < digests.length; start += INSERT_SLICE) {
      await manager.query(`INSERT INTO hash_list_entries (list_id, digest) SELECT $1, unnest($2::text[])`, [row.id, digests.slice(start, start + INSERT_SLICE)]);
    }
    await this.audit.record({ organizationId: null, action: 'hash_list.loaded', targetType: 'hash_list', targetId: row.id, data: { name, source: source.url ? 'url' : 'file', url: source.url ?? null, entries: digests.length } });
    return (await this.list()).find((list) => list.id === row.id)!;
  }

  async remove(id: string): Promise<void> {
    const [[row]] = (await this.tx.manager.query(`DELETE FROM hash_lists WHERE id = $1 RETURNING name`, [id])) as [Array<{ name: string }>, number];
    if (!row) throw new ScreeningException(ScreeningErrorCode.ListNotFound, 'There is no such hash list.');
    await this.audit.record({ organizationId: null, action: 'hash_list.removed', targetType: 'hash_list', targetId: id, data: { name: row.name } });
  }

  /** Which of these digests (lower-case hex) the lists name, and in which list: one indexed lookup. */
  async matches(digests: readonly string[]): Promise<HashMatch[]> {
    if (digests.length === 0) return [];
    const rows = (await this.tx.manager.query(`SELECT list_name, digest FROM hash_list_matches($1::text[])`, [[...new Set(digests)]])) as Array<{ list_name: string; digest: string }>;
    return rows.map((row) => ({ listName: row.list_name, digest: row.digest }));
  }
}
