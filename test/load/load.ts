import autocannon from 'autocannon';
import { createHash } from 'node:crypto';
import { SEARCHES } from '../bench/register-seed';
import { percentile } from '../bench/stats';
import type { Workspace } from './workspace';

/** Requests that autocannon's connections of one group send in turn. */
export interface RouteGroup {
  name: string;
  connections: number;
  requests: autocannon.Request[];
}

/** One answer or failure, as the load generator saw it; `at` is Date.now() when it came. */
export interface Outcome {
  at: number;
  /** When it was sent: `at` less the latency (for a failure, `at` itself). */
  sentAt: number;
  /** The HTTP status, or 0 for a socket error or a timeout. */
  status: number;
  ms: number;
}

export interface GroupFigure {
  name: string;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers other than 2xx and 304. */
  badStatuses: Record<string, number>;
  /** Socket errors and timeouts. */
  errors: number;
  timeouts: number;
}

/** The UUID PostgreSQL makes of `md5(text)::uuid`, as the register seed names its entries. */
export function md5Uuid(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The public register: list, searches, entries, through the pages and the API. */
export function registerGroup(entries: number, connections: number): RouteGroup {
  const requests: autocannon.Request[] = [];
  const FILTERS = ['', '&level=1', '&status=verified', '&country=DE', '&sort=provider', '&sort=decided'];
  for (let index = 0; index < 8; index += 1) {
    // Spread over the whole register, so that entries come from cold and warm pages alike.
    const entry = md5Uuid(`entry-${Math.floor((index * entries) / 8) + index}`);
    const words = encodeURIComponent(SEARCHES[(index * 3) % SEARCHES.length]);
    const filter = FILTERS[index % FILTERS.length];
    requests.push(
      { method: 'GET', path: `/register${index % 2 === 0 ? '' : `?page=${index + 1}`}` },
      { method: 'GET', path: `/register?q=${words}${filter}` },
      { method: 'GET', path: `/register/${entry}` },
      { method: 'GET', path: `/api/v1/register?q=${words}${filter}` },
      { method: 'GET', path: `/api/v1/register/${entry}` },
    );
  }
  return { name: 'register (public pages and API)', connections, requests };
}

/** The provider's workspace: signed-in pages with the session cookie, API reads with the token. */
export function workspaceGroup(workspace: Workspace, connections: number): RouteGroup {
  const app = `/app/${workspace.providerSlug}`;
  const page = { Cookie: workspace.ownerCookie, Accept: 'text/html' };
  const api = { Authorization: `Bearer ${workspace.token}`, Accept: 'application/json' };
  const id = workspace.assessmentId;
  return {
    name: 'workspace (signed-in pages, API with a token)',
    connections,
    requests: [
      { method: 'GET', path: `${app}/assessments/${id}`, headers: page },
      { method: 'GET', path: `${workspace.base}/assessments/${id}`, headers: api },
      { method: 'GET', path: `${app}/assessments/${id}?section=S02`, headers: page },
      { method: 'GET', path: `${workspace.base}/evidence`, headers: api },
      { method: 'GET', path: `${app}/evidence`, headers: page },
      { method: 'GET', path: `${workspace.base}/services`, headers: api },
      { method: 'GET', path: `${app}/assessments`, headers: page },
      { method: 'GET', path: `${workspace.base}/assessments`, headers: api },
    ],
  };
}

/** A request without an answer after this long has hung; slowness alone is not what the load checks. */
const TIMEOUT_S = 30;

export const isGood = (status: number) => (status >= 200 && status < 300) || status === 304;

/** A running load: every group at once, each its own autocannon instance; `stop()` ends it early. */
export class Load {
  readonly outcomes = new Map<string, Outcome[]>();
  private readonly instances: autocannon.Instance[] = [];
  private readonly done: Promise<autocannon.Result[]>;
  private readonly started = Date.now();

  constructor(
    port: number,
    private readonly groups: RouteGroup[],
    seconds: number,
  ) {
    this.done = Promise.all(
      groups.map((group) => {
        const outcomes: Outcome[] = [];
        this.outcomes.set(group.name, outcomes);
        return new Promise<autocannon.Result>((resolve, reject) => {
          const instance = autocannon(
            { url: `http://127.0.0.1:${port}`, connections: group.connections, duration: seconds, timeout: TIMEOUT_S, requests: group.requests },
            (error, result) => (error ? reject(error) : resolve(result)),
          );
          instance.on('response', (_client, status, _bytes, ms) => {
            const at = Date.now();
            outcomes.push({ at, sentAt: at - ms, status, ms });
          });
          // Timeouts are reported here too; their time is that of the report.
          instance.on('reqError', () => {
            const at = Date.now();
            outcomes.push({ at, sentAt: at, status: 0, ms: NaN });
          });
          this.instances.push(instance);
        });
      }),
    );
  }

  stop(): void {
    for (const instance of this.instances) instance.stop();
  }

  /** Waits for the end and gives each group's figures, then all of them together. */
  async figures(): Promise<GroupFigure[]> {
    const results = await this.done;
    const seconds = (Date.now() - this.started) / 1000;
    const figures = this.groups.map((group, index) => figure(group.name, group.connections, this.outcomes.get(group.name)!, seconds, results[index].timeouts));
    const all = [...this.outcomes.values()].flat();
    const timeouts = results.reduce((sum, result) => sum + result.timeouts, 0);
    figures.push(figure('all', this.groups.reduce((sum, group) => sum + group.connections, 0), all, seconds, timeouts));
    return figures;
  }
}

function figure(name: string, connections: number, outcomes: Outcome[], seconds: number, timeouts: number): GroupFigure {
  const answered = outcomes.filter((outcome) => outcome.status > 0);
  const times = answered.map((outcome) => outcome.ms).sort((a, b) => a - b);
  const badStatuses: Record<string, number> = {};
  for (const outcome of answered) if (!isGood(outcome.status)) badStatuses[outcome.status] = (badStatuses[outcome.status] ?? 0) + 1;
  return {
    name,
    connections,
    requests: outcomes.length,
    requestsPerSecond: answered.length / seconds,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? NaN,
    badStatuses,
    errors: outcomes.length - answered.length,
    timeouts,
  };
}
