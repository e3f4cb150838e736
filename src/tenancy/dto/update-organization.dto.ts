import { IsInt, IsISO31661Alpha2, IsOptional, IsString, IsUrl, Length, Min } from 'class-validator';
import { Type } from 'class-transformer';

export class UpdateOrganizationDto {
  @IsOptional()
  @IsString()
  @Length(2, 120)
  name?: string;

  @IsOptional()
  @IsISO31661Alpha2({ message: 'country must be a two-letter ISO 3166 code, such as DE or GB' })
  country?: string;

  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'website must be an http(s) address' })
  website?: string;

  /** The version the change is based on; a different current version means someone else saved first. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}
