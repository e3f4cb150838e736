import { IsIn, IsISO31661Alpha2, IsOptional, IsString, IsUrl, Length } from 'class-validator';
import type { OrganizationKind } from '../../common/request-context';

export class NewOrganizationDto {
  @IsString()
  @Length(2, 120)
  name: string;

  @IsIn(['provider', 'monitoring_body'], { message: 'kind must be provider or monitoring_body' })
  kind: OrganizationKind;

  @IsOptional()
  @IsISO31661Alpha2({ message: 'country must be a two-letter ISO 3166 code, such as DE or GB' })
  country?: string;

  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'website must be an http(s) address' })
  website?: string;
}
