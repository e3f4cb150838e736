import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { COMPLAINT_STATUSES, type ComplaintStatus } from '../complaint-states';

/** `open`: received or under investigation. */
export const LIST_FILTERS = [...COMPLAINT_STATUSES, 'open'] as const;
export type ComplaintFilter = ComplaintStatus | 'open';

export class ComplaintListQueryDto {
  @ApiPropertyOptional({ enum: LIST_FILTERS, description: 'Only complaints with this status (open: received or under investigation); by default all' })
  @Transform(({ value }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsIn(LIST_FILTERS, { message: `status must be one of: ${LIST_FILTERS.join(', ')}` })
  status?: ComplaintFilter;
}
