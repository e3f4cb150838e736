import { IsIn, IsOptional } from 'class-validator';

export class IncidentListQueryDto {
  @IsOptional()
  @IsIn(['open', 'resolved'], { message: 'state must be open or resolved' })
  state?: 'open' | 'resolved';
}
