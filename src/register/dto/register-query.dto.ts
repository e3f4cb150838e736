import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { QueryNumber } from '../../common/validation/from-text';
import { REGISTER_STATUSES, type RegisterStatus } from '../entities/register-entry.entity';

const emptyToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value);

export const REGISTER_SORTS = ['relevance', 'provider', 'decided', 'valid_until'] as const;
export type RegisterSort = (typeof REGISTER_SORTS)[number];

/** What the register can be searched and filtered by: the same for its pages, its JSON and its CSV. */
export class RegisterQueryDto {
  @ApiPropertyOptional({ description: 'Words to find in provider, service, code, monitoring body and the public summaries' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

  @ApiPropertyOptional({ description: 'A code slug, such as csea-detection' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,79}$/, { message: 'code must be a code slug: lower-case letters, digits and hyphens' })
  code?: string;

  @ApiPropertyOptional({ enum: REGISTER_STATUSES })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(REGISTER_STATUSES, { message: `status must be one of ${REGISTER_STATUSES.join(', ')}` })
  status?: RegisterStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 9 })
  @QueryNumber()
  @IsOptional()
  @IsInt({ message: 'level must be a whole number from 1 to 9' })
  @Min(1, { message: 'level must be a whole number from 1 to 9' })
  @Max(9, { message: 'level must be a whole number from 1 to 9' })
  level?: number;

  @ApiPropertyOptional({ description: 'The id of a monitoring body' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUUID('all', { message: 'body must be the id of a monitoring body' })
  body?: string;

  @ApiPropertyOptional({ description: 'The provider’s country, a two-letter ISO 3166 code' })
  @Transform(({ value }) => (typeof value === 'string' ? emptyToUndefined({ value })?.toString().toUpperCase() : value))
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO 3166 code, such as DE or GB' })
  country?: string;

  @ApiPropertyOptional({ enum: REGISTER_SORTS, description: 'By default relevance when searching, otherwise provider' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(REGISTER_SORTS, { message: `sort must be one of ${REGISTER_SORTS.join(', ')}` })
  sort?: RegisterSort;
}

export class RegisterPageQueryDto extends RegisterQueryDto {
  @ApiPropertyOptional({ minimum: 1 })
  @QueryNumber()
  @IsOptional()
  @IsInt({ message: 'page must be a whole number from 1 to 10000' })
  @Min(1, { message: 'page must be a whole number from 1 to 10000' })
  @Max(10_000, { message: 'page must be a whole number from 1 to 10000' })
  page?: number;
}

export class RegisterListQueryDto extends RegisterQueryDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: 'cursor is not one this register gave out' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @QueryNumber()
  @IsOptional()
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;
}
