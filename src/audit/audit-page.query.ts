import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { NumberFromText } from '../common/validation/from-text';

export class AuditPageQuery {
  @IsOptional()
  @NumberFromText()
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  /** The id of the last event of the previous page. */
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'before must be an event id' })
  before?: string;
}
