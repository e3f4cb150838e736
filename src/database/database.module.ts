import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.service';
import { BrokenConnections } from './broken-connections';
import { databaseOptions } from './database-options.factory';
import { DatabaseLifecycle } from './database.lifecycle';
import { EmbeddedPostgres } from './embedded-postgres';
import { EmbeddedPostgresModule } from './embedded-postgres.module';
import { MigrationsOnStart } from './migrations-on-start';
import { TransactionHost } from './transaction-host';

@Global()
@Module({
  imports: [
    EmbeddedPostgresModule,
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedPostgresModule],
      inject: [AppConfig, EmbeddedPostgres],
      useFactory: databaseOptions,
    }),
  ],
  providers: [TransactionHost, DatabaseLifecycle, MigrationsOnStart, BrokenConnections],
  exports: [TransactionHost],
})
export class DatabaseModule {}
