import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, ValidateNested } from 'class-validator';
import { SectionAnswerDto } from './save-answer.dto';

/** Several answers of one section, saved together or not at all. */
export class SaveSectionDto {
  @ApiProperty({ type: [SectionAnswerDto] })
  @IsArray()
  @ArrayMaxSize(300)
  // A list inside the list would pass the nested checks as if it were empty.
  @IsObject({ each: true, message: 'each of answers must be an object with requirementKey, version and the answer' })
  @ValidateNested({ each: true })
  @Type(() => SectionAnswerDto)
  answers: SectionAnswerDto[];
}
