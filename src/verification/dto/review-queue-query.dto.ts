import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { QueryNumber } from '../../common/validation/from-text';
import { ASSESSMENT_STATES, type AssessmentState } from '../../assessments/assessment-states';

export const QUEUE_SORTS = ['age', 'submitted', 'provider', 'code', 'state', 'level'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class ReviewQueueQueryDto {
  @ApiPropertyOptional({ enum: ASSESSMENT_STATES, description: 'Only assessments in this state; by default those still to be decided' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn([...ASSESSMENT_STATES, 'all'], { message: `state must be one of: ${[...ASSESSMENT_STATES, 'all'].join(', ')}` })
  state?: AssessmentState | 'all';

  @ApiPropertyOptional({ description: 'Code slug' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  code?: string;

  @ApiPropertyOptional({ description: 'Target level' })
  @QueryNumber()
  @IsOptional()
  @IsInt({ message: 'level must be a whole number' })
  @Min(1)
  @Max(20)
  level?: number;

  @ApiPropertyOptional({ description: 'Only those assigned to me' })
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsOptional()
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ enum: QUEUE_SORTS, description: 'age: oldest submission first (the default)' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(QUEUE_SORTS, { message: `sort must be one of: ${QUEUE_SORTS.join(', ')}` })
  sort?: QueueSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'] })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'order must be asc or desc' })
  order?: 'asc' | 'desc';
}
