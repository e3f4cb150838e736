import { IsIn, IsOptional } from 'class-validator';
import type { DomainStatus } from '../sso-domains';

export class DomainClaimsQueryDto {
  @IsOptional()
  @IsIn(['pending', 'confirmed', 'rejected'], { message: 'status must be pending, confirmed or rejected' })
  status?: DomainStatus;
}
