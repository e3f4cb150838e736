import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

const SAY_WHY = 'reason must say why, in at most 1000 characters';

export class SuspendDto {
  @ApiProperty({ description: 'Why, in the operator’s words: kept with the suspension and in the audit chain; a suspended person is told it by e-mail' })
  // One check, so that one message says what is wrong: a text with something in it, of 1000 characters at most.
  @Matches(/^(?=[\s\S]*\S)[\s\S]{1,1000}$/, { message: SAY_WHY })
  reason: string;
}
