import { IsString, MaxLength, MinLength } from 'class-validator';
import { VisibleName } from '../../common/validation/name.decorator';
import { IsOptionalDescription, IsOptionalProfile, IsOptionalServiceUrl } from './service-fields.decorators';

export class CreateServiceDto {
  @VisibleName()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @IsOptionalDescription()
  description?: string | null;

  /** Where the public finds the service (http or https). */
  @IsOptionalServiceUrl()
  url?: string | null;

  /**
   * Answers to the codes' profile questions by question key: true/false for yes-or-no questions, an
   * option's value for single choice, a list of option values for multiple choice; null clears one.
   */
  @IsOptionalProfile()
  profile?: Record<string, unknown>;
}
