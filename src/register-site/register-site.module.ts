import { Module } from '@nestjs/common';
import { ComplaintsModule } from '../complaints/complaints.module';
import { RegisterController } from './register.controller';
import { RegisterCsv } from './register-csv';
import { RegisterFreshness } from './register-freshness.interceptor';
import { RegisterModule } from '../register/register.module';
import { RegisterPagesController } from './register.pages.controller';
import { RegisterStatistics } from './register-statistics';
import { RenderedPages } from './rendered-pages';

/** The register's public face: its pages, its API, the CSV and the badge, with the public side of complaints. */
@Module({
  imports: [RegisterModule, ComplaintsModule],
  controllers: [RegisterController, RegisterPagesController],
  providers: [RegisterStatistics, RegisterCsv, RegisterFreshness, RenderedPages],
})
export class RegisterSiteModule {}
