import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Transform } from 'class-transformer';

export class WorkspaceQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  section?: string;

  /** Only the requirements that are new or changed since the assessment the answers were carried from. */
  @IsOptional()
  @IsIn(['changed'])
  only?: 'changed';
}

export class StartPageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  version?: string;

  /** A renewal fills in the rest of the form from the declaration it renews. */
  @IsOptional()
  @IsUUID()
  serviceId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  monitoringBody?: string;

  @IsOptional()
  @Transform(({ value }) => (value === '' || value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(20)
  targetLevel?: number;

  @IsOptional()
  @IsUUID()
  copyFrom?: string;
}
