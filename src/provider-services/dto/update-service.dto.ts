import { IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { VisibleName } from '../../common/validation/name.decorator';
import { IsOptionalDescription, IsOptionalProfile, IsOptionalServiceUrl } from './service-fields.decorators';
import { IsVersion } from '../../common/validation/version.decorator';

/** Changes to a service, based on the version that was read. Profile answers sent are merged in. */
export class UpdateServiceDto {
  /** Absent keeps the name; null is not a name. */
  @VisibleName()
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string;

  @IsOptionalDescription()
  description?: string | null;

  @IsOptionalServiceUrl()
  url?: string | null;

  /**
   * Answers to the codes' profile questions by question key: true/false for yes-or-no questions, an
   * option's value for single choice, a list of option values for multiple choice; null clears one.
   */
  @IsOptionalProfile()
  profile?: Record<string, unknown>;

  /** The version the change is based on; a different current version means someone else saved first. */
  @IsVersion()
  version: number;
}
