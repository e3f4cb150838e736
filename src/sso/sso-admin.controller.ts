import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Operator } from '../access/access.decorator';
import { TenantContext } from '../common/tenant-context';
import { DomainClaimsQueryDto } from './dto/domain-claims-query.dto';
import { SsoDomains } from './sso-domains';
import { domainClaimJson } from './sso.mapper';

/** The operator's side of domain claims: the list, and a decision on each pending one. */
@ApiTags('operator')
@Controller('api/v1/admin/sso-domains')
export class SsoAdminController {
  constructor(
    private readonly domains: SsoDomains,
    private readonly context: TenantContext,
  ) {}

  @Get()
  @Operator()
  async list(@Query() query: DomainClaimsQueryDto) {
    return (await this.domains.all(query.status)).map(domainClaimJson);
  }

  @Post(':domain/confirm')
  @HttpCode(200)
  @Operator()
  async confirm(@Param('domain') domain: string) {
    return domainClaimJson(await this.domains.decide(domain, 'confirmed', this.context.userId));
  }

  @Post(':domain/reject')
  @HttpCode(200)
  @Operator()
  async reject(@Param('domain') domain: string) {
    return domainClaimJson(await this.domains.decide(domain, 'rejected', this.context.userId));
  }
}
