import { Module } from '@nestjs/common';
import { EmbeddedPostgres } from './embedded-postgres';

@Module({ providers: [EmbeddedPostgres], exports: [EmbeddedPostgres] })
export class EmbeddedPostgresModule {}
