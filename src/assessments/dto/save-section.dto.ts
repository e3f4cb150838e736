import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, ValidateNested } from 'class-validator';
import { SectionAnswerDto } from './save-answer.dto';

/** Several answers of one section, saved together or not at all. */
export class SaveSectionDto {
  @ApiProperty({ type: [SectionAnswerDto] })
  @IsArray()
  @ArrayMaxSize(300)
  @ValidateNested({ each: true })
  @Type(() => SectionAnswerDto)
  answers: SectionAnswerDto[];
}
