import { Injectable } from '@nestjs/common';
import { Brackets, SelectQueryBuilder } from 'typeorm';
import { TransactionHost } from '../database/transaction-host';
import type { RegisterQueryDto, RegisterSort } from './dto/register-query.dto';
import { RegisterEntry } from './entities/register-entry.entity';
import { RegisterEvent } from './entities/register-event.entity';
import { PublicEntry, PublicEntrySummary, PublicEvent, publicEntryOf, publicEventOf, summaryOf } from './public-entry';
import { entryNotFound, RegisterErrorCode, RegisterException } from './register.exception';
import { searchTerms } from './search-terms';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RegisterPage {
  entries: PublicEntrySummary[];
  total: number;
  page: number;
  pages: number;
  perPage: number;
  sort: RegisterSort;
}

export interface RegisterSlice {
  entries: PublicEntrySummary[];
  total: number;
  nextCursor: string | null;
}

export interface RegisterFacets {
  codes: Array<{ slug: string; title: string }>;
  monitoringBodies: Array<{ id: string; name: string }>;
  countries: string[];
  levels: number[];
}

/** How each order sorts, and the columns its cursor carries (the id last, to break ties). */
const ORDERS: Record<Exclude<RegisterSort, 'relevance'>, { columns: string[]; direction: 'ASC' | 'DESC' }> = {
  provider: { columns: ['entry.provider_name', 'entry.service_name', 'entry.id'], direction: 'ASC' },
  decided: { columns: ['entry.decided_at', 'entry.id'], direction: 'DESC' },
  valid_until: { columns: ['entry.valid_until', 'entry.id'], direction: 'ASC' },
};
const RANK = `ts_rank_cd(entry.search, to_tsquery('english', :tsquery))`;

/** The register as the public reads it: search, filters, pages, single entries and their history. */
@Injectable()
export class RegisterDirectory {
  constructor(private readonly tx: TransactionHost) {}

  async entry(id: string): Promise<PublicEntry> {
    const entry = UUID.test(id) ? await this.tx.manager.getRepository(RegisterEntry).findOneBy({ id }) : null;
    if (!entry) throw entryNotFound();
    return publicEntryOf(entry, await this.history(entry.id));
  }

  async history(entryId: string): Promise<PublicEvent[]> {
    return this.eventsWhere('event.entry_id = :entryId', { entryId }, 'ASC');
  }

  /** A numbered page, for the register's web pages. */
  async page(query: RegisterQueryDto, page: number, perPage: number): Promise<RegisterPage> {
    const sort = sortOf(query);
    const filtered = this.filtered(query);
    const [rows, total] = await Promise.all([
      this.ordered(filtered.clone(), query, sort).offset((page - 1) * perPage).limit(perPage).getMany(),
      filtered.getCount(),
    ]);
    return { entries: rows.map(summaryOf), total, page, pages: Math.max(1, Math.ceil(total / perPage)), perPage, sort };
  }

  /** A slice after a cursor, for the API: stable while entries are added or change status. */
  async slice(query: RegisterQueryDto, cursor: string | undefined, limit: number): Promise<RegisterSlice> {
    const sort = sortOf(query);
    const filtered = this.filtered(query);
    const ordered = this.ordered(filtered.clone(), query, sort);
    if (sort === 'relevance') ordered.addSelect(RANK, 'rank');
    if (cursor) this.after(ordered, sort, decodeCursor(cursor, sort === 'relevance' ? 2 : ORDERS[sort].columns.length));
    const [{ entities, raw }, total] = await Promise.all([ordered.limit(limit + 1).getRawAndEntities(), filtered.getCount()]);
    const more = entities.length > limit;
    const last = more ? limit - 1 : -1;
    return {
      entries: entities.slice(0, limit).map(summaryOf),
      total,
      nextCursor: last >= 0 ? encodeCursor(cursorValues(entities[last], sort, raw as Array<{ rank?: number }>, last)) : null,
    };
  }

  /** The next batch of the whole register in id order, for the streamed CSV. */
  batchAfter(afterId: string | null, size: number): Promise<RegisterEntry[]> {
    const query = this.tx.manager.getRepository(RegisterEntry).createQueryBuilder('entry').orderBy('entry.id', 'ASC').limit(size);
    if (afterId) query.where('entry.id > :afterId', { afterId });
    return query.getMany();
  }

  /** Register events after the given one, oldest first: a feed for watchers to poll. */
  events(after: string | undefined, limit: number): Promise<PublicEvent[]> {
    return this.eventsWhere(after ? 'event.id > :after' : 'true', { after }, 'ASC', limit);
  }

  /** The values the filters can take: only those some entry has. */
  async facets(): Promise<RegisterFacets> {
    const manager = this.tx.manager;
    const [codes, monitoringBodies, countries, levels] = await Promise.all([
      manager.query(`SELECT DISTINCT ON (code_slug) code_slug AS slug, code_title AS title FROM register_entries ORDER BY code_slug, decided_at DESC`) as Promise<RegisterFacets['codes']>,
      manager.query(`SELECT DISTINCT ON (monitoring_body_id) monitoring_body_id AS id, monitoring_body_name AS name FROM register_entries ORDER BY monitoring_body_id, decided_at DESC`) as Promise<RegisterFacets['monitoringBodies']>,
      manager.query(`SELECT DISTINCT provider_country AS country FROM register_entries WHERE provider_country IS NOT NULL ORDER BY 1`) as Promise<Array<{ country: string }>>,
      manager.query(`SELECT DISTINCT level FROM register_entries ORDER BY 1`) as Promise<Array<{ level: number }>>,
    ]);
    return {
      codes,
      monitoringBodies: monitoringBodies.sort((a, b) => a.name.localeCompare(b.name)),
      countries: countries.map((row) => row.country),
      levels: levels.map((row) => row.level),
    };
  }

  /** Counts every committed change to what the register shows. */
  async revision(): Promise<string> {
    const [row] = (await this.tx.manager.query(`SELECT revision FROM register_revision`)) as Array<{ revision: string }>;
    return String(row.revision);
  }

  private filtered(query: RegisterQueryDto): SelectQueryBuilder<RegisterEntry> {
    const builder = this.tx.manager.getRepository(RegisterEntry).createQueryBuilder('entry');
    if (query.q) {
      const { tsquery, verificationId } = searchTerms(query.q);
      builder.andWhere(
        new Brackets((where) => {
          where.where(tsquery ? `entry.search @@ to_tsquery('english', :tsquery)` : 'false', { tsquery });
          if (verificationId) where.orWhere('entry.verification_id = :verificationId', { verificationId });
        }),
      );
    }
    if (query.code) builder.andWhere('entry.code_slug = :code', { code: query.code });
    if (query.status) builder.andWhere('entry.status = :status', { status: query.status });
    if (query.level) builder.andWhere('entry.level = :level', { level: query.level });
    if (query.body) builder.andWhere('entry.monitoring_body_id = :body', { body: query.body });
    if (query.country) builder.andWhere('entry.provider_country = :country', { country: query.country });
    return builder;
  }

  private ordered(builder: SelectQueryBuilder<RegisterEntry>, query: RegisterQueryDto, sort: RegisterSort): SelectQueryBuilder<RegisterEntry> {
    if (sort === 'relevance') {
      const { tsquery } = searchTerms(query.q ?? '');
      return builder.orderBy(RANK, 'DESC').addOrderBy('entry.id', 'DESC').setParameter('tsquery', tsquery ?? '');
    }
    const { columns, direction } = ORDERS[sort];
    builder.orderBy(columns[0], direction);
    for (const column of columns.slice(1)) builder.addOrderBy(column, direction);
    return builder;
  }

  private after(builder: SelectQueryBuilder<RegisterEntry>, sort: RegisterSort, values: unknown[]): void {
    const columns = sort === 'relevance' ? [RANK, 'entry.id'] : ORDERS[sort].columns;
    const direction = sort === 'relevance' ? 'DESC' : ORDERS[sort].direction;
    const placeholders = values.map((_, index) => `:cursor${index}`);
    const parameters = Object.fromEntries(values.map((value, index) => [`cursor${index}`, value]));
    // Row comparison keeps the order's ties in the same order as ORDER BY.
    builder.andWhere(`(${columns.join(', ')}) ${direction === 'ASC' ? '>' : '<'} (${placeholders.join(', ')})`, parameters);
  }

  private async eventsWhere(condition: string, parameters: Record<string, unknown>, order: 'ASC' | 'DESC', limit?: number): Promise<PublicEvent[]> {
    const query = this.tx.manager
      .getRepository(RegisterEvent)
      .createQueryBuilder('event')
      .leftJoin('organizations', 'body', 'body.id = event.monitoring_body_id')
      .addSelect('body.name', 'body_name')
      .where(condition, parameters)
      .orderBy('event.id', order);
    if (limit) query.limit(limit);
    const { entities, raw } = await query.getRawAndEntities();
    return entities.map((event, index) => publicEventOf(event, (raw[index] as { body_name: string }).body_name));
  }
}

function sortOf(query: RegisterQueryDto): RegisterSort {
  if (query.sort === 'relevance' && !query.q) return 'provider';
  return query.sort ?? (query.q ? 'relevance' : 'provider');
}

function cursorValues(entry: RegisterEntry, sort: RegisterSort, raw: Array<{ rank?: number }>, index: number): unknown[] {
  switch (sort) {
    case 'relevance':
      return [Number(raw[index].rank), entry.id];
    case 'provider':
      return [entry.providerName, entry.serviceName, entry.id];
    case 'decided':
      return [entry.decidedAt.toISOString(), entry.id];
    case 'valid_until':
      return [entry.validUntil, entry.id];
  }
}

function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const valid = Array.isArray(values) && values.length === length && values.every((value) => typeof value === 'string' || typeof value === 'number') && UUID.test(String(values[length - 1]));
    if (valid) return values;
  } catch {
    // Falls through to the same answer as any other cursor this register did not give out.
  }
  throw new RegisterException(RegisterErrorCode.InvalidCursor, 'cursor is not one this register gave out for this sort order; start again without it.', { cursor: ['not a cursor of this list'] });
}
