import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsVersion } from '../../common/validation/version.decorator';

/** The operator's decision on an upload incident; resolving it lets the organization's uploads go on once none is open. */
export class ResolveIncidentDto {
  @ApiProperty({ description: 'What was found and decided; kept in the platform audit log' })
  @IsString({ message: 'note must say what was decided' })
  @MinLength(1, { message: 'note must say what was decided' })
  @MaxLength(5_000, { message: 'note must be at most 5000 characters' })
  note: string;

  @ApiProperty({ description: 'The version of the incident you read; a stale one is a 409' })
  @IsVersion()
  version: number;
}
