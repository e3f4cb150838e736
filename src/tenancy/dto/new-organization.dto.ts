import { VisibleName } from '../../common/validation/name.decorator';
import { IsIn, IsString, Length } from 'class-validator';
import { IsOptionalCountry, IsOptionalWebsite } from './organization-fields.decorators';
import type { OrganizationKind } from '../../common/request-context';

export class NewOrganizationDto {
  @VisibleName()
  @IsString()
  @Length(2, 120)
  name: string;

  @IsIn(['provider', 'monitoring_body'], { message: 'kind must be provider or monitoring_body' })
  kind: OrganizationKind;

  @IsOptionalCountry()
  country?: string;

  @IsOptionalWebsite()
  website?: string;
}
