import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.service';
import { databaseOptions } from './database-options.factory';
import { DatabaseLifecycle } from './database.lifecycle';
import { EmbeddedPostgres } from './embedded-postgres';
import { EmbeddedPostgresModule } from './embedded-postgres.module';
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
  providers: [TransactionHost, DatabaseLifecycle],
  exports: [TransactionHost],
})
export class DatabaseModule {}
