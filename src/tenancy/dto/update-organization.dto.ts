import { VisibleName } from '../../common/validation/name.decorator';
import { IsBoolean, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { BooleanFromText } from '../../common/validation/from-text';
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

  /** Members need a second factor to use the organization (its API tokens excepted). */
  @BooleanFromText()
  @IsOptional()
  @IsBoolean({ message: 'requireMfa must be true or false' })
  requireMfa?: boolean;

  /** A monitoring body only: decisions, approvals, suspensions, revocations and complaint rulings need a fresh second factor. */
  @BooleanFromText()
  @IsOptional()
  @IsBoolean({ message: 'requireStepUp must be true or false' })
  requireStepUp?: boolean;

  /** The version the change is based on; a different current version means someone else saved first. */
  @IsVersion()
  version: number;
}
