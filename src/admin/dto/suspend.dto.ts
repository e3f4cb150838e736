import { IsString, Matches, MaxLength } from 'class-validator';

export class SuspendDto {
  /** Why, in the operator's words: kept with the suspension, in the audit chain, and told to a suspended person. */
  @IsString()
  @Matches(/\S/, { message: 'reason must say why' })
  @MaxLength(1000)
  reason: string;
}
