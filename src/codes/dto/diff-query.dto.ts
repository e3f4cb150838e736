import { IsOptional, IsString, MaxLength } from 'class-validator';

export class DiffQueryDto {
  /** The earlier version; by default the version before `to`. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  from?: string;

  /** The later version; by default the newest. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  to?: string;
}
