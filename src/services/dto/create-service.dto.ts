import { IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';
import { IsOptionalDescription, IsOptionalProfile, IsOptionalServiceUrl } from './service-fields.decorators';

export class CreateServiceDto {
  @Trim()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @IsOptionalDescription()
  description?: string | null;

  /** Where the public finds the service (http or https). */
  @IsOptionalServiceUrl()
  url?: string | null;

  @IsOptionalProfile()
  profile?: Record<string, unknown>;
}
