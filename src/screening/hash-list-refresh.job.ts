import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config.service';
import { TransactionHost } from '../database/transaction-host';
import { HashLists } from './hash-lists';
import { HASH_LIST_FILE_LIMIT } from './hash-list-upload.middleware';

const FETCH_TIMEOUT_MS = 60_000;

/**
 * Loads the hash lists named by HASH_LIST_URLS at start, then every HASH_LIST_REFRESH_SECONDS. The
 * lists are fetched outside any transaction; an advisory lock lets one instance at a time load them,
 * and a list whose text has not changed is left as it is. A list that cannot be fetched or read keeps
 * its last good version, and the failure is logged.
 */
@Injectable()
export class HashListRefreshJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HashLists');

  constructor(
    private readonly config: AppConfig,
    private readonly tx: TransactionHost,
    private readonly lists: HashLists,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.hashListUrls.length === 0) return;
    await this.run();
    const seconds = this.config.hashListRefreshSeconds;
    if (seconds === 0) return;
    const timer = setInterval(() => void this.run(), seconds * 1000);
    timer.unref();
    this.scheduler.addInterval(HashListRefreshJob.name, timer);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', HashListRefreshJob.name)) this.scheduler.deleteInterval(HashListRefreshJob.name);
  }

  /** One pass over every configured list; returns the names loaded or found unchanged. Never throws. */
  async run(): Promise<string[]> {
    const fetched: Array<{ name: string; url: string; text: string }> = [];
    for (const { name, url } of this.config.hashListUrls) {
      try {
        fetched.push({ name, url, text: await fetchList(url) });
      } catch (error) {
        this.logger.warn(`The hash list ${name} could not be fetched from ${url}; its last version stays in use: ${(error as Error).message}`);
      }
    }
    const loaded: string[] = [];
    try {
      await this.tx.runScoped({}, async () => {
        const [{ locked }] = (await this.tx.manager.query(`SELECT pg_try_advisory_xact_lock(hashtextextended('adhere:hash-lists', 0)) AS locked`)) as Array<{ locked: boolean }>;
        if (!locked) return;
        for (const list of fetched) {
          try {
            const result = await this.lists.load(list.name, list.text, { url: list.url });
            loaded.push(result.name);
          } catch (error) {
            // The text is checked before anything is written, so the other lists still load.
            this.logger.warn(`The hash list ${list.name} from ${list.url} was not loaded: ${(error as Error).message}`);
          }
        }
      });
    } catch (error) {
      this.logger.error(`The hash lists could not be loaded: ${(error as Error).message}`);
    }
    return loaded;
  }
}

async function fetchList(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > HASH_LIST_FILE_LIMIT) throw new Error(`it is larger than ${HASH_LIST_FILE_LIMIT / 1024 ** 2} MiB`);
  const text = await response.text();
  if (Buffer.byteLength(text) > HASH_LIST_FILE_LIMIT) throw new Error(`it is larger than ${HASH_LIST_FILE_LIMIT / 1024 ** 2} MiB`);
  return text;
}
