import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../access/access.decorator';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import { DatabaseProbe } from './database-probe';
import { HealthErrorCode, HealthException } from './health.exception';

@ApiTags('health')
@Controller('health')
@Public()
@WithoutTransaction()
export class HealthController {
  constructor(private readonly database: DatabaseProbe) {}

  /** The process is up. */
  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /** The process can serve requests: the database answers within two seconds. */
  @Get('ready')
  async ready() {
    try {
      await this.database.check();
      return { status: 'ok', database: 'up' };
    } catch {
      throw new HealthException(HealthErrorCode.DatabaseUnreachable, 'The database is not reachable.');
    }
  }
}
