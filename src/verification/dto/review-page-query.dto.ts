import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The review page shows every section, or one (`?section=KEY`). */
export class ReviewPageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  section?: string;
}
