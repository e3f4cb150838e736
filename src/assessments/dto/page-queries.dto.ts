import { IsOptional, IsString, MaxLength } from 'class-validator';

export class WorkspaceQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  section?: string;
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
}
