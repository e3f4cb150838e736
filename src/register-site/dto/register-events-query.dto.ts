import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { QueryNumber } from '../../common/validation/from-text';

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class RegisterEventsQueryDto {
  @ApiPropertyOptional({ description: 'The id of the last event you have seen; events after it are returned' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be the id of a register event, a whole number' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @QueryNumber()
  @IsOptional()
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1, { message: 'limit must be a whole number from 1 to 500' })
  @Max(500, { message: 'limit must be a whole number from 1 to 500' })
  limit?: number;
}
