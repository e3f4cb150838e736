import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, SelectQueryBuilder } from 'typeorm';
import { isUuid } from '../common/validation/uuid';
import { TransactionHost } from '../database/transaction-host';
import type { RegisterQueryDto, RegisterSort } from './dto/register-query.dto';
import { RegisterEntry } from './entities/register-entry.entity';
import { RegisterEvent } from './entities/register-event.entity';
import { PublicEntry, PublicEntrySummary, PublicEvent, publicEntryOf, publicEventOf, summaryOf } from './public-entry';
import { entryNotFound, RegisterErrorCode, RegisterException } from './register.exception';
import { FreshRead } from './fresh-read';
import { RevisionMemo } from './revision-memo';
import { searchTerms } from './search-terms';

/**
 * Matches are counted up to this many, and ranked by relevance only up to this many: a search that
 * matches more is too broad to rank usefully, and counting or ranking a large share of the register
 * on every request would be slow. Such results are shown newest decision first instead.
 */
export const MATCH_LIMIT = 1_000;

export interface MatchCount {
  total: number;
  /** False when more than MATCH_LIMIT entries match: `total` is then MATCH_LIMIT. */
  exact: boolean;
}

export interface RegisterPage {
  entries: PublicEntrySummary[];
  total: number;
  totalExact: boolean;
  page: number;
  pages: number;
  perPage: number;
  sort: RegisterSort;
}

export interface RegisterSlice {
  entries: PublicEntrySummary[];
  total: number;
  totalExact: boolean;
  sort: RegisterSort;
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
const REVISION = `SELECT revision FROM register_revision`;
const RANK = `ts_rank(entry.search, websearch_to_tsquery('english', :words))`;

/** What a line of the register shows: the summaries, manifest and history stay unread. */
const SUMMARY_COLUMNS = ['id', 'verificationId', 'status', 'level', 'providerId', 'providerName', 'providerCountry', 'serviceName', 'codeSlug', 'codeTitle', 'codeVersion', 'monitoringBodyId', 'monitoringBodyName', 'firstVerifiedAt', 'decidedAt', 'validUntil'].map((column) => `entry.${column}`);

/** The register as the public reads it: search, filters, pages, single entries and their history. */
@Injectable()
export class RegisterDirectory {
  private readonly counts = new RevisionMemo<MatchCount>(1_000);
  private readonly facetsMemo = new RevisionMemo<RegisterFacets>(1);
  /** Outside a transaction (a page that may be cached), concurrent requests share one read. */
  private readonly publicRevision = new FreshRead(() => this.tx.readPublic<{ revision: string }>(REVISION));
  private readonly revisionIn = new WeakMap<EntityManager, Promise<string>>();

  constructor(private readonly tx: TransactionHost) {}

  async entry(id: string): Promise<PublicEntry> {
    const entry = isUuid(id) ? await this.tx.manager.getRepository(RegisterEntry).findOneBy({ id }) : null;
    if (!entry) throw entryNotFound();
    return publicEntryOf(entry, await this.history(entry.id));
  }

  async history(entryId: string): Promise<PublicEvent[]> {
    return this.eventsWhere('event.entry_id = :entryId', { entryId }, 'ASC');
  }

  /** A numbered page, for the register's web pages. */
  async page(query: RegisterQueryDto, page: number, perPage: number): Promise<RegisterPage> {
    const count = await this.count(query);
    const sort = sortOf(query, count);
    const rows = await this.ordered(this.filtered(query), query, sort).offset((page - 1) * perPage).limit(perPage).getMany();
    return { entries: rows.map(summaryOf), total: count.total, totalExact: count.exact, page, pages: Math.max(1, Math.ceil(count.total / perPage)), perPage, sort };
  }

  /** A slice after a cursor, for the API: stable while entries are added or change status. */
  async slice(query: RegisterQueryDto, cursor: string | undefined, limit: number): Promise<RegisterSlice> {
    const count = await this.count(query);
    const sort = sortOf(query, count);
    const ordered = this.ordered(this.filtered(query), query, sort);
    if (sort === 'relevance') ordered.addSelect(RANK, 'rank');
    // As the database holds it (to the microsecond), so that the cursor falls exactly between two rows.
    if (sort === 'decided') ordered.addSelect('entry.decided_at::text', 'decided_exact');
    if (cursor) this.after(ordered, sort, decodeCursor(cursor, sort));
    const { entities, raw } = await ordered.limit(limit + 1).getRawAndEntities();
    const last = entities.length > limit ? limit - 1 : -1;
    return {
      entries: entities.slice(0, limit).map(summaryOf),
      total: count.total,
      totalExact: count.exact,
      sort,
      nextCursor: last >= 0 ? encodeCursor(sort, cursorValues(entities[last], sort, (raw as CursorColumns[])[last])) : null,
    };
  }

  /**
   * How many entries match, exactly up to MATCH_LIMIT. The whole register's size is counted exactly,
   * once per revision.
   */
  async count(query: RegisterQueryDto): Promise<MatchCount> {
    const unfiltered = !query.q && !query.code && !query.status && !query.level && !query.body && !query.country;
    const revision = await this.revision();
    const key = unfiltered ? '' : JSON.stringify([query.q, query.code, query.status, query.level, query.body, query.country]);
    const known = this.counts.get(revision, key);
    if (known) return known;
    let count: MatchCount;
    if (unfiltered) {
      count = { total: await this.tx.manager.getRepository(RegisterEntry).count(), exact: true };
    } else {
      const [matches, parameters] = this.filtered(query).select('1').limit(MATCH_LIMIT + 1).getQueryAndParameters();
      const [{ total }] = (await this.tx.manager.query(`SELECT count(*)::int AS total FROM (${matches}) matches`, parameters)) as Array<{ total: number }>;
      count = total > MATCH_LIMIT ? { total: MATCH_LIMIT, exact: false } : { total, exact: true };
    }
    this.counts.set(revision, key, count);
    return count;
  }

  /** Register events after the given one, oldest first: a feed for watchers to poll. */
  events(after: string | undefined, limit: number): Promise<PublicEvent[]> {
    return this.eventsWhere(after ? 'event.id > :after' : 'true', { after }, 'ASC', limit);
  }

  /** The values the filters can take: only those some entry has. Read once per revision. */
  async facets(): Promise<RegisterFacets> {
    const revision = await this.revision();
    const known = this.facetsMemo.get(revision, '');
    if (known) return known;
    const manager = this.tx.manager;
    const [codes, monitoringBodies, countries, levels] = await Promise.all([
      manager.query(
        `SELECT slug, (SELECT code_title FROM register_entries WHERE code_slug = codes.slug ORDER BY decided_at DESC LIMIT 1) AS title FROM (${distinctValues('code_slug')}) AS codes (slug)`,
      ) as Promise<RegisterFacets['codes']>,
      manager.query(
        `SELECT id, (SELECT monitoring_body_name FROM register_entries WHERE monitoring_body_id = bodies.id ORDER BY decided_at DESC LIMIT 1) AS name FROM (${distinctValues('monitoring_body_id')}) AS bodies (id)`,
      ) as Promise<RegisterFacets['monitoringBodies']>,
      manager.query(distinctValues('provider_country')) as Promise<Array<{ value: string }>>,
      manager.query(distinctValues('level')) as Promise<Array<{ value: number }>>,
    ]);
    const facets = {
      codes,
      monitoringBodies: monitoringBodies.sort((a, b) => a.name.localeCompare(b.name)),
      countries: countries.map((row) => row.value),
      levels: levels.map((row) => row.value),
    };
    this.facetsMemo.set(revision, '', facets);
    return facets;
  }

  /** Counts every committed change to what the register shows. */
  async revision(): Promise<string> {
    if (!this.tx.isOpen) return String((await this.publicRevision.read())[0].revision);
    // Once per transaction: the freshness check, the counts and the facets of one request share it.
    const manager = this.tx.manager;
    let read = this.revisionIn.get(manager);
    if (!read) {
      read = (manager.query(REVISION) as Promise<Array<{ revision: string }>>).then(([row]) => String(row.revision));
      this.revisionIn.set(manager, read);
    }
    return read;
  }

  private filtered(query: RegisterQueryDto): SelectQueryBuilder<RegisterEntry> {
    const builder = this.tx.manager.getRepository(RegisterEntry).createQueryBuilder('entry');
    if (query.q) {
      const { text, verificationId } = searchTerms(query.q);
      builder.andWhere(
        new Brackets((where) => {
          where.where(`entry.search @@ websearch_to_tsquery('english', :words)`, { words: text });
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
    builder.select(SUMMARY_COLUMNS);
    if (sort === 'relevance') return builder.orderBy(RANK, 'DESC').addOrderBy('entry.id', 'DESC').setParameter('words', searchTerms(query.q ?? '').text);
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

/**
 * The distinct non-null values of an indexed column, each found with one index probe (a "loose index
 * scan"), instead of reading the whole table.
 */
function distinctValues(column: 'code_slug' | 'monitoring_body_id' | 'provider_country' | 'level'): string {
  return `WITH RECURSIVE found (value) AS (
      (SELECT ${column} FROM register_entries WHERE ${column} IS NOT NULL ORDER BY ${column} LIMIT 1)
      UNION ALL
      SELECT (SELECT ${column} FROM register_entries WHERE ${column} > found.value ORDER BY ${column} LIMIT 1) FROM found WHERE found.value IS NOT NULL
    ) SELECT value FROM found WHERE value IS NOT NULL`;
}

/**
 * Relevance when searching; by provider when browsing. A search too broad to rank lists the newest
 * decisions first: matches are spread evenly over that order, so the first page is found at once,
 * whereas names that match cluster in one stretch of the alphabetical order.
 */
function sortOf(query: RegisterQueryDto, count: MatchCount): RegisterSort {
  const wanted = query.sort ?? (query.q ? 'relevance' : 'provider');
  if (wanted !== 'relevance') return wanted;
  if (!query.q) return 'provider';
  return count.exact ? 'relevance' : 'decided';
}

interface CursorColumns {
  rank?: string;
  decided_exact?: string;
}

function cursorValues(entry: RegisterEntry, sort: RegisterSort, raw: CursorColumns): unknown[] {
  switch (sort) {
    case 'relevance':
      return [Number(raw.rank), entry.id];
    case 'provider':
      return [entry.providerName, entry.serviceName, entry.id];
    case 'decided':
      return [raw.decided_exact, entry.id];
    case 'valid_until':
      return [entry.validUntil, entry.id];
  }
}

/** A cursor names its order, so that it is never read in another one. */
function encodeCursor(sort: RegisterSort, values: unknown[]): string {
  return Buffer.from(JSON.stringify([sort, ...values])).toString('base64url');
}

function decodeCursor(cursor: string, sort: RegisterSort): unknown[] {
  const length = 1 + (sort === 'relevance' ? 2 : ORDERS[sort].columns.length);
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const valid = Array.isArray(values) && values.length === length && values[0] === sort && values.every((value) => typeof value === 'string' || typeof value === 'number') && isUuid(String(values[length - 1]));
    if (valid) return values.slice(1);
  } catch {
    // Falls through to the same answer as any other cursor this register did not give out.
  }
  throw new RegisterException(RegisterErrorCode.InvalidCursor, 'cursor is not one this register gave out for this sort order; start again without it.', { cursor: ['not a cursor of this list'] });
}
