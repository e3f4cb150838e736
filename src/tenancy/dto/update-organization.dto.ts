import { VisibleName } from '../../common/validation/name.decorator';
import { IsString, Length, ValidateIf } from 'class-validator';
import { IsOptionalCountry, IsOptionalWebsite } from './organization-fields.decorators';
import { IsVersion } from '../../common/validation/version.decorator';

export class UpdateOrganizationDto {
  // Absent keeps the name; null is not a name.
  @VisibleName()
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @Length(2, 120)
  name?: string;

  /** `null` clears it. */
  @IsOptionalCountry()
  country?: string | null;

  /** `null` clears it. */
  @IsOptionalWebsite()
  website?: string | null;

  /** The version the change is based on; a different current version means someone else saved first. */
  @IsVersion()
  version: number;
}
