import { REGISTER_STATUSES } from '../register/entities/register-entry.entity';
import type { RegisterPageQueryDto, RegisterSort } from '../register/dto/register-query.dto';
import type { RegisterFacets, RegisterPage } from '../register/register-directory';

const SORT_LABELS: Record<RegisterSort, string> = {
  relevance: 'Best match',
  provider: 'Provider name',
  decided: 'Latest decision first',
  valid_until: 'Ending soonest',
};

const FILTERS = ['q', 'code', 'status', 'level', 'body', 'country', 'sort'] as const;

/** The register's search page: the form as the visitor filled it in, the results and the pages. */
export function registerListView(query: RegisterPageQueryDto, result: RegisterPage, facets: RegisterFacets) {
  const kept = FILTERS.flatMap((name) => (query[name] !== undefined ? [[name, String(query[name])] as [string, string]] : []));
  const link = (page: number) => `/register?${new URLSearchParams([...kept, ...(page > 1 ? [['page', String(page)]] : [])]).toString()}`.replace(/\?$/, '');
  const window = pagesAround(result.page, result.pages);
  const filtered = kept.some(([name]) => name !== 'sort');
  return {
    query,
    filtered,
    total: result.total,
    totalExact: result.totalExact,
    broad: !result.totalExact,
    entries: result.entries,
    first: result.total ? (result.page - 1) * result.perPage + 1 : 0,
    last: Math.min(result.page * result.perPage, result.total),
    options: {
      codes: facets.codes.map((code) => ({ value: code.slug, label: code.title, selected: code.slug === query.code })),
      statuses: REGISTER_STATUSES.map((status) => ({ value: status, label: status, selected: status === query.status })),
      levels: facets.levels.map((level) => ({ value: String(level), label: `Level ${level}`, selected: level === query.level })),
      bodies: facets.monitoringBodies.map((body) => ({ value: body.id, label: body.name, selected: body.id === query.body })),
      countries: facets.countries.map((country) => ({ value: country, label: country, selected: country === query.country })),
      sorts: (Object.keys(SORT_LABELS) as RegisterSort[])
        .filter((sort) => sort !== 'relevance' || query.q)
        .map((sort) => ({ value: sort, label: SORT_LABELS[sort], selected: sort === result.sort })),
    },
    pagination:
      result.pages > 1
        ? {
            previous: result.page > 1 ? link(result.page - 1) : null,
            next: result.page < result.pages ? link(result.page + 1) : null,
            pages: window.map((page) => (page === null ? { gap: true } : { number: page, href: link(page), current: page === result.page })),
          }
        : null,
    downloads: {
      json: `/api/v1/register${kept.length ? `?${new URLSearchParams(kept).toString()}` : ''}`,
      csv: '/api/v1/register.csv',
    },
  };
}

/** The first, the last and the pages near the current one, with gaps between. */
function pagesAround(current: number, total: number): Array<number | null> {
  const shown = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, total])].filter((page) => page >= 1 && page <= total).sort((a, b) => a - b);
  return shown.flatMap((page, index) => (index > 0 && page - shown[index - 1] > 1 ? [null, page] : [page]));
}
