import { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.service';
import { EmbeddedPostgres } from './embedded-postgres';
import { MIGRATIONS_GLOB } from './migrations.path';

/** Connection settings for the configured server, or for the embedded database when none is set. */
export async function databaseOptions(config: AppConfig, embedded: EmbeddedPostgres): Promise<TypeOrmModuleOptions> {
  const shared = {
    type: 'postgres' as const,
    autoLoadEntities: true,
    synchronize: false,
    migrations: [MIGRATIONS_GLOB],
    // Applied by MigrationsOnStart, under a lock that several instances share.
    migrationsRun: false,
    extra: { max: config.databasePoolSize, connectionTimeoutMillis: 5_000 },
    retryAttempts: 3,
  };
  if (config.databaseUrl) return { ...shared, url: config.databaseUrl };
  // PGlite is one backend: statements of two connections would interleave mid-protocol, so the
  // embedded database is used through a single connection and requests take turns.
  const endpoint = await embedded.start(config.dataDir);
  return { ...shared, ...endpoint, username: 'postgres', database: 'postgres', extra: { ...shared.extra, max: 1 } };
}
