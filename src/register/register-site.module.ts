import { Module } from '@nestjs/common';
import { RegisterController } from './register.controller';
import { RegisterCsv } from './register-csv';
import { RegisterFreshness } from './register-freshness.interceptor';
import { RegisterModule } from './register.module';
import { RegisterPagesController } from './register.pages.controller';
import { RegisterStatistics } from './register-statistics';
import { RenderedPages } from './rendered-pages';

/** The register's public face: its pages, its API, the CSV and the badge. */
@Module({
  imports: [RegisterModule],
  controllers: [RegisterController, RegisterPagesController],
  providers: [RegisterStatistics, RegisterCsv, RegisterFreshness, RenderedPages],
})
export class RegisterSiteModule {}
