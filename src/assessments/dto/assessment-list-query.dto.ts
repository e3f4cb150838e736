import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ASSESSMENT_STATES, type AssessmentState } from '../assessment-states';

export class AssessmentListQueryDto {
  @ApiPropertyOptional({ enum: ASSESSMENT_STATES })
  @IsOptional()
  @IsIn(ASSESSMENT_STATES, { message: `state must be one of: ${ASSESSMENT_STATES.join(', ')}` })
  state?: AssessmentState;

  @ApiPropertyOptional({ description: 'A service id' })
  @IsOptional()
  @IsUUID('all', { message: 'service must be a service id' })
  service?: string;

  @ApiPropertyOptional({ description: "A code's slug" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  code?: string;
}
