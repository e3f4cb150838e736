import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { IsOptionalCountry, IsOptionalWebsite } from './organization-fields.decorators';
import { Type } from 'class-transformer';

export class UpdateOrganizationDto {
  @IsOptional()
  @IsString()
  @Length(2, 120)
  name?: string;

  @IsOptionalCountry()
  country?: string;

  @IsOptionalWebsite()
  website?: string;

  /** The version the change is based on; a different current version means someone else saved first. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}
