import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { IsVersion } from '../../common/validation/version.decorator';

/** Who reviews: two different members of the monitoring body. */
export class AssignReviewersDto {
  @ApiProperty({ description: 'User id of the lead reviewer, who records findings and proposes the decision' })
  @IsUUID('all', { message: 'lead must be the user id of a member of your monitoring body' })
  lead: string;

  @ApiProperty({ description: 'User id of the second reviewer, who approves or returns the decision' })
  @IsUUID('all', { message: 'second must be the user id of a member of your monitoring body' })
  second: string;

  @ApiPropertyOptional({ description: 'To reassign: the version of the current assignment' })
  @IsOptional()
  @IsVersion()
  version?: number;
}
