import { Type } from 'class-transformer';
import { IsInt, IsString, MaxLength, Min, MinLength } from 'class-validator';

/** The operator's decision on an upload incident; resolving it lets the organization's uploads go on once none is open. */
export class ResolveIncidentDto {
  @IsString()
  @MinLength(1, { message: 'note must say what was decided' })
  @MaxLength(5_000)
  note: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}
